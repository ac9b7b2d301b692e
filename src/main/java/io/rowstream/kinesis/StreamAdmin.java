package io.rowstream.kinesis;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Stream chores around a sync: create a stream (emulators, trials) and read back what landed. Not
 * on the send path.
 */
public final class StreamAdmin {
  /** How long {@link #createStream} waits for the stream to become ACTIVE. */
  public static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

  /** One record as it sits on the stream. */
  public record Landed(String shardId, String sequenceNumber, String partitionKey, String data) {}

  private final KinesisDestination destination;

  public StreamAdmin(KinesisDestination destination) {
    this.destination = destination;
  }

  public void createStream(String stream, int shards) {
    KinesisClient client = destination.client();
    try {
      client.createStream(
          CreateStreamRequest.builder().streamName(stream).shardCount(shards).build());
      Instant deadline = Instant.now().plus(ACTIVE_TIMEOUT);
      while (client
              .describeStreamSummary(
                  DescribeStreamSummaryRequest.builder().streamName(stream).build())
              .streamDescriptionSummary()
              .streamStatus()
          != StreamStatus.ACTIVE) {
        if (Instant.now().isAfter(deadline)) {
          throw RowstreamException.fatal(
              ErrorCode.SERVICE_ERROR,
              "stream " + stream + " is not ACTIVE after " + ACTIVE_TIMEOUT.toSeconds() + "s");
        }
        Thread.sleep(100);
      }
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "CreateStream", stream, destination.config()).asFatal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted");
    }
  }

  public List<Shard> shards(String stream) {
    List<Shard> shards = new ArrayList<>();
    try {
      ListShardsResponse page =
          destination.client().listShards(ListShardsRequest.builder().streamName(stream).build());
      shards.addAll(page.shards());
      while (page.nextToken() != null) {
        page =
            destination
                .client()
                .listShards(ListShardsRequest.builder().nextToken(page.nextToken()).build());
        shards.addAll(page.shards());
      }
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "ListShards", stream, destination.config()).asFatal();
    }
    return shards;
  }

  /** Every record on every shard, from the oldest, shard by shard, in sequence order. */
  public List<Landed> readAll(String stream) {
    KinesisClient client = destination.client();
    List<Landed> out = new ArrayList<>();
    try {
      for (Shard shard : shards(stream)) {
        String iterator =
            client
                .getShardIterator(
                    GetShardIteratorRequest.builder()
                        .streamName(stream)
                        .shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                        .build())
                .shardIterator();
        while (iterator != null) {
          GetRecordsResponse page =
              client.getRecords(
                  GetRecordsRequest.builder().shardIterator(iterator).limit(10_000).build());
          for (Record r : page.records()) {
            out.add(
                new Landed(
                    shard.shardId(),
                    r.sequenceNumber(),
                    r.partitionKey(),
                    new String(r.data().asByteArrayUnsafe(), StandardCharsets.UTF_8)));
          }
          boolean caughtUp =
              page.records().isEmpty()
                  && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
          iterator = caughtUp ? null : page.nextShardIterator();
        }
      }
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "GetRecords", stream, destination.config()).asFatal();
    }
    return out;
  }
}
