package io.rowstream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.core.Secret;
import io.rowstream.delivery.Answer;
import io.rowstream.delivery.Call;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.ForwardingDestination;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import io.rowstream.delivery.RecordsPage;
import io.rowstream.delivery.ShardListing;
import io.rowstream.delivery.StreamAdmin;
import io.rowstream.delivery.StreamSummary;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.SharedEmulators;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway against both emulators: every call Rowstream makes answers through it, and a
 * decorator around it sees each one, the probes of {@code check} included.
 */
class KinesisGatewayIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();
  private static final AtomicInteger STREAMS = new AtomicInteger();

  /** Notes each call's operation, and how many records the GetRecords answers held. */
  private static final class Noting extends ForwardingDestination {
    final List<String> operations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger fetched = new AtomicInteger();

    Noting(Destination inner) {
      super(inner);
    }

    @Override
    protected <A extends Answer> A call(Call call, Supplier<A> next) {
      A answer = next.get();
      operations.add(call.operation());
      if (answer instanceof RecordsPage page) {
        fetched.addAndGet(page.records().size());
      }
      return answer;
    }

    long count(String operation) {
      return operations.stream().filter(operation::equals).count();
    }
  }

  private static DestinationConfig config(KinesisEmulator emulator) {
    return new DestinationConfig(
        "kinesis",
        "us-east-1",
        Optional.of(URI.create(emulator.endpoint())),
        Optional.of(
            new Credentials(
                Optional.of("rowstream-test"),
                Optional.of(new Secret("secret")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty())));
  }

  private static List<OutboundRecord> records(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new OutboundRecord(
                    ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8),
                    "key-" + i,
                    Optional.empty()))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(KinesisEmulator.Kind.class)
  void everyCallRowstreamMakesAnswersThroughTheGateway(KinesisEmulator.Kind kind) {
    KinesisEmulator emulator = EMULATORS.get(kind);
    String stream = "gateway-" + STREAMS.incrementAndGet();
    try (KinesisDestination kinesis = KinesisDestination.connect(config(emulator))) {
      Noting gateway = new Noting(kinesis);
      StreamAdmin admin = new StreamAdmin(gateway);

      admin.createStream(stream, 2);
      StreamSummary summary = gateway.describeStream(stream);
      PutResult put = gateway.putRecords(stream, records(30));
      List<StreamAdmin.Landed> landed = new ArrayList<>();
      int read = admin.read(stream, 1000, landed::add);

      assertThat(admin.streams()).contains(stream);
      assertThat(summary.active()).isTrue();
      assertThat(summary.openShards()).isEqualTo(2);
      assertThat(summary.arn()).endsWith(":stream/" + stream);
      assertThat(put.entries()).hasSize(30).allSatisfy(e -> assertThat(e.ok()).isTrue());
      assertThat(ShardListing.all(gateway, stream)).hasSize(2);
      assertThat(read).isEqualTo(30);
      assertThat(landed)
          .extracting(StreamAdmin.Landed::partitionKey)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.range(0, 30).mapToObj(i -> "key-" + i).toList());
      assertThat(landed).allSatisfy(r -> assertThat(r.data()).startsWith("{\"n\": "));
      assertThat(gateway.operations)
          .contains(
              Call.CREATE_STREAM,
              Call.DESCRIBE_STREAM_SUMMARY,
              Call.PUT_RECORDS,
              Call.LIST_SHARDS,
              Call.GET_SHARD_ITERATOR,
              Call.GET_RECORDS,
              Call.LIST_STREAMS);
    }
  }

  @Test
  void readingNOfAStreamHoldingMoreFetchesNRecordsInOneGetRecordsCall() {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    String stream = "gateway-" + STREAMS.incrementAndGet();
    emulator.createStream(stream, 1);
    try (KinesisDestination kinesis = KinesisDestination.connect(config(emulator))) {
      kinesis.putRecords(stream, records(50));
      Noting gateway = new Noting(kinesis);
      List<StreamAdmin.Landed> landed = new ArrayList<>();

      int read = new StreamAdmin(gateway).read(stream, 10, landed::add);

      assertThat(read).isEqualTo(10);
      assertThat(landed)
          .extracting(StreamAdmin.Landed::partitionKey)
          .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "key-" + i).toList());
      assertThat(gateway.count(Call.GET_RECORDS)).isEqualTo(1);
      assertThat(gateway.fetched).as("records fetched of the 50 on the stream").hasValue(10);
    }
  }

  @Test
  void theProbesOfCheckAreCallsThroughTheGateway() {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    String stream = "gateway-" + STREAMS.incrementAndGet();
    emulator.createStream(stream, 1);
    List<Noting> around = new ArrayList<>();

    AccessCheck.Report report =
        AccessCheck.run(
            config(emulator),
            List.of(stream),
            true,
            gateway -> {
              Noting noting = new Noting(gateway);
              around.add(noting);
              return noting;
            });

    assertThat(report.ok()).isTrue();
    assertThat(around).hasSize(1);
    assertThat(around.get(0).operations)
        .containsExactly(
            Call.LIST_STREAMS, Call.DESCRIBE_STREAM_SUMMARY, Call.LIST_SHARDS, Call.PUT_RECORDS);
    assertThat(emulator.readAll(stream))
        .as("the test record")
        .singleElement()
        .satisfies(
            r -> assertThat(r.partitionKey()).isEqualTo(AccessCheck.TEST_RECORD_PARTITION_KEY));
  }
}
