package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.RecordingForwarder;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code rowstream read} and {@code rowstream streams} against kinesalite, behind a forwarder that
 * records each request the command makes.
 */
class StreamCommandsIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();
  private static final AtomicInteger STREAMS = new AtomicInteger();

  @TempDir Path dir;
  private RecordingForwarder kinesis;

  @AfterEach
  void stop() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  /** A project whose destination is kinesalite behind the forwarder, and a stream of records. */
  private Project project(String stream, int records) {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    emulator.createStream(stream, 1);
    if (records > 0) {
      emulator
          .client()
          .putRecords(
              b ->
                  b.streamName(stream)
                      .records(
                          IntStream.range(0, records)
                              .mapToObj(
                                  i ->
                                      PutRecordsRequestEntry.builder()
                                          .partitionKey("key-" + i)
                                          .data(SdkBytes.fromUtf8String("{\"n\": " + i + "}"))
                                          .build())
                              .toList()));
    }
    kinesis = RecordingForwarder.start(emulator.endpoint());
    return new Project(dir)
        .config(
            kinesis.endpoint(),
            """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: %s
            """
                .formatted(stream));
  }

  @Test
  void readWithALimitPrintsThatManyAndAsksKinesisForNoMore() {
    String stream = "read-" + STREAMS.incrementAndGet();
    Project p = project(stream, 50);

    Project.Result r = p.cli("read", "kinesis", stream, "-n", "10");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(10);
    assertThat(r.out().lines().findFirst().orElseThrow())
        .contains("\"partition_key\":\"key-0\"")
        .contains("\"data\":{\"n\":0}");
    assertThat(r.err()).contains("10 record(s) on " + stream + " (stopped at -n 10");
    assertThat(kinesis.requests("GetRecords"))
        .as("one GetRecords call, asking for the 10 records wanted")
        .singleElement()
        .satisfies(q -> assertThat(q.body()).contains("\"Limit\":10"));
  }

  @Test
  void readWithAHigherLimitPrintsEveryRecordAndHowMany() {
    String stream = "read-" + STREAMS.incrementAndGet();
    Project p = project(stream, 50);

    Project.Result r = p.cli("read", "kinesis", stream, "-n", "100");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(50);
    assertThat(r.err().strip()).isEqualTo("50 record(s) on " + stream);
  }

  @Test
  void streamsCreatesAStreamAndListsIt() {
    String existing = "streams-" + STREAMS.incrementAndGet();
    String created = "streams-" + STREAMS.incrementAndGet();
    Project p = project(existing, 0);

    Project.Result create = p.cli("streams", "kinesis", "--create", created, "--shards", "2");
    Project.Result list = p.cli("streams", "kinesis");

    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(create.out()).contains("created stream " + created + " with 2 shard(s)");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines()).contains(existing, created);
    assertThat(kinesis.requests("CreateStream")).hasSize(1);
    assertThat(kinesis.requests("DescribeStreamSummary")).isNotEmpty();
    assertThat(kinesis.requests("ListStreams")).isNotEmpty();
  }
}
