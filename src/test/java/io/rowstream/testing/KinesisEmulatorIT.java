package io.rowstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.testing.KinesisEmulator.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Checks that both emulators behave the way the producer tests rely on, and pins the ways they
 * differ.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KinesisEmulatorIT {

  private static final int ONE_MIB = 1024 * 1024;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void records_put_in_one_batch_read_back_in_order_on_the_shard_their_partition_key_hashes_to(
      Kind kind) {
    KinesisEmulator emulator = EMULATORS.get(kind);
    String stream = newStreamName();
    emulator.createStream(stream, 2);
    List<String> keys = IntStream.range(0, 20).mapToObj(i -> "row-" + i).toList();

    PutRecordsResponse put =
        emulator
            .client()
            .putRecords(
                b ->
                    b.streamName(stream)
                        .records(keys.stream().map(key -> entry(key, payload(key))).toList()));
    List<ShardRange> shards = emulator.shards(stream);
    List<LandedRecord> landed = emulator.readAll(stream);

    assertThat(put.failedRecordCount()).isZero();
    assertThat(put.records())
        .extracting(PutRecordsResultEntry::shardId)
        .containsExactlyElementsOf(
            keys.stream().map(key -> KinesisEmulator.expectedShard(shards, key)).toList());
    assertThat(landed)
        .extracting(LandedRecord::partitionKey)
        .containsExactlyInAnyOrderElementsOf(keys);
    assertThat(landed)
        .allSatisfy(
            record -> {
              assertThat(record.data()).isEqualTo(payload(record.partitionKey()));
              assertThat(record.shardId())
                  .isEqualTo(KinesisEmulator.expectedShard(shards, record.partitionKey()));
            });
    // Without records on both shards the routing check above would prove little.
    assertThat(landed)
        .extracting(LandedRecord::shardId)
        .containsOnly("shardId-000000000000", "shardId-000000000001")
        .contains("shardId-000000000000", "shardId-000000000001");
    // Kinesis orders records within a shard by arrival; a batch is applied in request order.
    Map<String, List<String>> keysByShard =
        landed.stream()
            .collect(
                Collectors.groupingBy(
                    LandedRecord::shardId,
                    Collectors.mapping(LandedRecord::partitionKey, Collectors.toList())));
    keysByShard.forEach(
        (shard, readKeys) ->
            assertThat(readKeys)
                .containsExactlyElementsOf(
                    keys.stream()
                        .filter(key -> KinesisEmulator.expectedShard(shards, key).equals(shard))
                        .toList()));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void list_streams_shows_a_created_stream(Kind kind) {
    KinesisEmulator emulator = EMULATORS.get(kind);
    String stream = newStreamName();

    emulator.createStream(stream, 1);

    assertThat(allStreamNames(emulator.client())).contains(stream);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void an_explicit_hash_key_overrides_the_partition_key_when_choosing_the_shard(Kind kind) {
    KinesisEmulator emulator = EMULATORS.get(kind);
    String stream = newStreamName();
    emulator.createStream(stream, 2);
    List<ShardRange> shards = emulator.shards(stream);
    String key = "row-0";
    ShardRange other =
        shards.stream()
            .filter(range -> !range.shardId().equals(KinesisEmulator.expectedShard(shards, key)))
            .findFirst()
            .orElseThrow();

    emulator
        .client()
        .putRecords(
            b ->
                b.streamName(stream)
                    .records(
                        entry(key, "steered").toBuilder()
                            .explicitHashKey(other.start().toString())
                            .build()));

    assertThat(emulator.readAll(stream))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.shardId()).isEqualTo(other.shardId());
              // GetRecords has no ExplicitHashKey field, so a consumer can never see it.
              assertThat(record.explicitHashKey()).isNull();
            });
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void putting_records_to_a_missing_stream_fails_with_resource_not_found(Kind kind) {
    KinesisClient client = EMULATORS.get(kind).client();

    assertThatThrownBy(
            () -> client.putRecords(b -> b.streamName("no-such-stream").records(entry("k", "v"))))
        .isInstanceOf(ResourceNotFoundException.class)
        .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(400));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void a_record_of_one_mebibyte_is_accepted_and_one_byte_more_is_rejected(Kind kind) {
    KinesisEmulator emulator = EMULATORS.get(kind);
    String stream = newStreamName();
    emulator.createStream(stream, 1);
    KinesisClient client = emulator.client();

    // The limit applies to the data alone in both emulators; the partition key does not count
    // towards it.
    PutRecordsResponse fits =
        client.putRecords(b -> b.streamName(stream).records(entry("k", "x".repeat(ONE_MIB))));
    assertThat(fits.failedRecordCount()).isZero();

    List<PutRecordsRequestEntry> oversized =
        List.of(entry("k", "small"), entry("k", "x".repeat(ONE_MIB + 1)));
    if (kind == Kind.KINESALITE) {
      // kinesalite checks the API model's 1 MiB length constraint, so the whole request is refused.
      assertThatThrownBy(() -> client.putRecords(b -> b.streamName(stream).records(oversized)))
          .isInstanceOfSatisfying(
              KinesisException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
      assertThat(emulator.readAll(stream)).hasSize(1);
    } else {
      // kinesis-mock fails only the offending entry and writes the rest.
      PutRecordsResponse partly = client.putRecords(b -> b.streamName(stream).records(oversized));
      assertThat(partly.failedRecordCount()).isEqualTo(1);
      assertThat(partly.records())
          .extracting(PutRecordsResultEntry::errorCode)
          .containsExactly(null, "InvalidArgumentException");
      assertThat(emulator.readAll(stream))
          .extracting(LandedRecord::data)
          .hasSize(2)
          .last()
          .isEqualTo("small");
    }
  }

  private static List<String> allStreamNames(KinesisClient client) {
    // Paged by ExclusiveStartStreamName because kinesalite predates ListStreams' NextToken.
    List<String> names = new ArrayList<>();
    ListStreamsResponse page = client.listStreams();
    names.addAll(page.streamNames());
    while (Boolean.TRUE.equals(page.hasMoreStreams()) && !names.isEmpty()) {
      String last = names.get(names.size() - 1);
      page = client.listStreams(b -> b.exclusiveStartStreamName(last));
      names.addAll(page.streamNames());
    }
    return names;
  }

  private static PutRecordsRequestEntry entry(String partitionKey, String data) {
    return PutRecordsRequestEntry.builder()
        .partitionKey(partitionKey)
        .data(SdkBytes.fromUtf8String(data))
        .build();
  }

  private static String payload(String key) {
    return "{\"id\":\"" + key + "\",\"note\":\"é\"}";
  }

  private static String newStreamName() {
    return "it-" + UUID.randomUUID();
  }
}
