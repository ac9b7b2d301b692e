package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import io.rowstream.delivery.ShardPage;
import io.rowstream.delivery.StreamShard;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsRequest;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The thin gateway over the AWS SDK's Kinesis client: one method per API call Rowstream makes, SDK
 * exceptions mapped to the error taxonomy. The SDK's own retries are off: the {@link
 * io.rowstream.delivery.Producer} retries per record, so every attempt is visible.
 */
public final class KinesisDestination implements Destination {
  /** Time allowed for one HTTP attempt; a slower answer counts as a retryable timeout. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  private final DestinationConfig config;
  private final KinesisClient client;
  private final CredentialSource credentials;

  private KinesisDestination(
      DestinationConfig config, KinesisClient client, CredentialSource credentials) {
    this.config = config;
    this.client = client;
    this.credentials = credentials;
  }

  /** Builds a client for the destination; connects lazily, on the first call. */
  public static KinesisDestination connect(DestinationConfig config) {
    return connect(config, ATTEMPT_TIMEOUT);
  }

  /**
   * As {@link #connect(DestinationConfig)}, with another limit on one HTTP attempt (tests,
   * benchmarks).
   */
  public static KinesisDestination connect(DestinationConfig config, Duration attemptTimeout) {
    // kinesalite answers PutRecords in CBOR the SDK cannot parse; JSON works everywhere.
    if (System.getProperty("aws.cborEnabled") == null) {
      System.setProperty("aws.cborEnabled", "false");
    }
    CredentialSource credentials = CredentialSource.of(config);
    var builder =
        KinesisClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials.provider())
            // twice the most requests a producer keeps in flight: a ListShards refresh never waits
            // for a connection
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(2 * DestinationConfig.Sending.MAX_IN_FLIGHT_LIMIT)
                    .connectionTimeout(Duration.ofSeconds(5)))
            .overrideConfiguration(
                c -> c.retryPolicy(RetryPolicy.none()).apiCallAttemptTimeout(attemptTimeout));
    config.endpoint().ifPresent(builder::endpointOverride);
    return new KinesisDestination(config, builder.build(), credentials);
  }

  KinesisClient client() {
    return client;
  }

  DestinationConfig config() {
    return config;
  }

  CredentialSource credentials() {
    return credentials;
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
    for (OutboundRecord r : records) {
      PutRecordsRequestEntry.Builder entry =
          PutRecordsRequestEntry.builder()
              .data(SdkBytes.fromByteArrayUnsafe(r.data()))
              .partitionKey(r.partitionKey());
      r.explicitHashKey().ifPresent(entry::explicitHashKey);
      entries.add(entry.build());
    }
    PutRecordsResponse response;
    try {
      response =
          client.putRecords(
              PutRecordsRequest.builder().streamName(stream).records(entries).build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "PutRecords", stream, config);
    }
    List<EntryResult> results = new ArrayList<>(response.records().size());
    for (PutRecordsResultEntry entry : response.records()) {
      results.add(
          entry.errorCode() == null
              ? EntryResult.stored(entry.shardId(), entry.sequenceNumber())
              : EntryResult.failed(entry.errorCode(), entry.errorMessage()));
    }
    return new PutResult(
        results,
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  /** One page of ListShards: by stream name first, then by the token alone, as the API requires. */
  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    ListShardsResponse response;
    try {
      response =
          client.listShards(
              nextToken.isPresent()
                  ? ListShardsRequest.builder().nextToken(nextToken.get()).build()
                  : ListShardsRequest.builder().streamName(stream).build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "ListShards", stream, config);
    }
    List<StreamShard> shards = new ArrayList<>(response.shards().size());
    for (Shard s : response.shards()) {
      shards.add(
          new StreamShard(
              s.shardId(),
              new BigInteger(s.hashKeyRange().startingHashKey()),
              new BigInteger(s.hashKeyRange().endingHashKey()),
              s.sequenceNumberRange() == null
                  || s.sequenceNumberRange().endingSequenceNumber() == null));
    }
    return new ShardPage(
        shards,
        Optional.ofNullable(response.nextToken()).filter(t -> !t.isEmpty()),
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  private static Optional<String> requestId(String id) {
    return Optional.ofNullable(id).filter(x -> !x.isEmpty() && !"UNKNOWN".equals(x));
  }

  /** Every stream of the account and region, following ListStreams pages. */
  public List<String> listStreams() {
    List<String> names = new ArrayList<>();
    try {
      ListStreamsResponse page =
          client.listStreams(ListStreamsRequest.builder().limit(100).build());
      names.addAll(page.streamNames());
      while (Boolean.TRUE.equals(page.hasMoreStreams()) && !page.streamNames().isEmpty()) {
        String last = page.streamNames().get(page.streamNames().size() - 1);
        page =
            client.listStreams(
                ListStreamsRequest.builder().limit(100).exclusiveStartStreamName(last).build());
        names.addAll(page.streamNames());
      }
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "ListStreams", null, config).asFatal();
    }
    return names;
  }

  @Override
  public void close() {
    client.close();
    credentials.close();
  }
}
