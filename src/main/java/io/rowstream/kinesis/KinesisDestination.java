package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.delivery.Answered;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import io.rowstream.delivery.RecordsPage;
import io.rowstream.delivery.ShardIterator;
import io.rowstream.delivery.ShardPage;
import io.rowstream.delivery.StoredRecord;
import io.rowstream.delivery.StreamPage;
import io.rowstream.delivery.StreamShard;
import io.rowstream.delivery.StreamSummary;
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
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.CreateStreamResponse;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsRequest;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * The thin gateway over the AWS SDK's Kinesis client: one method per API call Rowstream makes, SDK
 * exceptions mapped to the error taxonomy; no SDK type leaves it. The SDK's own retries are off:
 * the {@link io.rowstream.delivery.Producer} retries per record, so every attempt is visible.
 *
 * <p>The wire format is the JVM's, not the client's: this SDK has no per-client switch between CBOR
 * and JSON; it reads the {@code aws.cborEnabled} system property when a client is built. The SDK
 * cannot parse kinesalite's CBOR GetRecords answers (JSON works with AWS and both emulators), so
 * every launcher starts the JVM with {@code -Daws.cborEnabled=false} ({@code rowstream}, {@code
 * src/dist/bin/rowstream}, {@code bench/run}, the test JVMs in {@code pom.xml}); nothing here
 * changes a JVM-wide setting at runtime.
 */
public final class KinesisDestination implements Destination {
  /** Time allowed for one HTTP attempt; a slower answer counts as a retryable timeout. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  /** The most names one ListStreams call asks for. */
  static final int STREAMS_PER_PAGE = 100;

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

  /** One page of ListStreams, at most {@value #STREAMS_PER_PAGE} names. */
  @Override
  public StreamPage listStreams(Optional<String> after) {
    ListStreamsRequest.Builder request = ListStreamsRequest.builder().limit(STREAMS_PER_PAGE);
    after.ifPresent(request::exclusiveStartStreamName);
    ListStreamsResponse response;
    try {
      response = client.listStreams(request.build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "ListStreams", null, config);
    }
    return new StreamPage(
        response.streamNames(),
        Boolean.TRUE.equals(response.hasMoreStreams()),
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  @Override
  public StreamSummary describeStream(String stream) {
    DescribeStreamSummaryResponse response;
    try {
      response =
          client.describeStreamSummary(
              DescribeStreamSummaryRequest.builder().streamName(stream).build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "DescribeStreamSummary", stream, config);
    }
    StreamDescriptionSummary s = response.streamDescriptionSummary();
    return new StreamSummary(
        s.streamARN(),
        s.streamStatusAsString(),
        s.openShardCount() == null ? 0 : s.openShardCount(),
        s.encryptionType() == EncryptionType.KMS
            ? Optional.ofNullable(s.keyId())
            : Optional.empty(),
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  @Override
  public Answered createStream(String stream, int shards) {
    CreateStreamResponse response;
    try {
      response =
          client.createStream(
              CreateStreamRequest.builder().streamName(stream).shardCount(shards).build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "CreateStream", stream, config);
    }
    return new Answered(
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  @Override
  public ShardIterator oldestIterator(String stream, String shardId) {
    GetShardIteratorResponse response;
    try {
      response =
          client.getShardIterator(
              GetShardIteratorRequest.builder()
                  .streamName(stream)
                  .shardId(shardId)
                  .shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                  .build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "GetShardIterator", stream, config);
    }
    return new ShardIterator(
        response.shardIterator(),
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  @Override
  public RecordsPage getRecords(String iterator, int limit) {
    GetRecordsResponse response;
    try {
      response =
          client.getRecords(
              GetRecordsRequest.builder().shardIterator(iterator).limit(limit).build());
    } catch (SdkException e) {
      throw KinesisErrors.classify(e, "GetRecords", null, config);
    }
    List<StoredRecord> records = new ArrayList<>(response.records().size());
    for (Record r : response.records()) {
      records.add(
          new StoredRecord(r.sequenceNumber(), r.partitionKey(), r.data().asByteArrayUnsafe()));
    }
    return new RecordsPage(
        records,
        Optional.ofNullable(response.nextShardIterator()),
        Optional.ofNullable(response.millisBehindLatest()),
        response.sdkHttpResponse().statusCode(),
        requestId(response.responseMetadata().requestId()));
  }

  @Override
  public void close() {
    client.close();
    credentials.close();
  }
}
