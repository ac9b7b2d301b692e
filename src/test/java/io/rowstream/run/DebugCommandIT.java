package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.RecordingForwarder;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rowstream debug RUN}: a run where Kinesis stores row 1, refuses row 2 on every attempt (a
 * forwarder in front of kinesalite fails its entries), and row 3 is too large to send.
 */
class DebugCommandIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir static Path dir;
  private static RecordingForwarder kinesis;
  private static Project project;
  private static String runId;

  @BeforeAll
  static void run() {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    String stream = "debug-" + System.nanoTime();
    emulator.createStream(stream, 2);
    kinesis =
        RecordingForwarder.start(emulator.endpoint())
            .failEntries("2", "ProvisionedThroughputExceededException");
    project =
        new Project(dir)
            .sql(
                "create table customers as select i as id, case when i = 3 then repeat('x', 500) else 'n' || i end "
                    + "as name from range(1, 4) t(i)")
            .config(
                kinesis.endpoint(),
                """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: %s
              max_record_bytes: 200
            """
                    .formatted(stream));
    Project.Result run = project.cli("run", "customers", "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    runId = SyncScenarios.parse(run.out()).get("run_id").asText();
  }

  @AfterAll
  static void stop() {
    kinesis.close();
  }

  @Test
  void theRunsCallsAreListedWithTheirAttemptsStatusesAndFailedEntries() {
    Project.Result r = project.cli("debug", runId);

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "run "
                + runId
                + " of sync customers: completed_with_errors, started "
                + lines.get(0).split("started ")[1].split(",")[0]
                + ", finished "
                + lines.get(0).split("finished ")[1].split(",")[0]
                + ", 3 rows queried, 1 sent, rejected ProvisionedThroughputExceededException: 1, record_too_large: 1");
    // the producer lists the stream's shards first, to pace each shard
    assertThat(lines.get(1)).isEqualTo("7 API call(s):");
    assertThat(lines.get(2))
        .contains("CALL")
        .contains("ATTEMPT")
        .contains("REQUEST ID")
        .contains("FAILED");
    assertThat(lines.get(3)).contains("ListShards").containsPattern(" 1 +200 ");
    assertThat(lines.get(4))
        .contains("PutRecords")
        .containsPattern(" 1 +200 ")
        .contains(" 2 ")
        .endsWith("ProvisionedThroughputExceededException x1");
    assertThat(lines.get(9))
        .contains("PutRecords")
        .containsPattern(" 6 +200 ")
        .endsWith("ProvisionedThroughputExceededException x1");
    assertThat(r.out()).doesNotContain("test-secret");
  }

  @Test
  void aStoredRowShowsItsShardAndSequenceNumberAndTheCallThatCarriedIt() {
    Project.Result r = project.cli("debug", runId, "--key", "1");

    assertThat(r.exitCode()).isZero();
    LandedRecord landed =
        EMULATORS
            .kinesalite()
            .readAll(
                kinesis
                    .requests("PutRecords")
                    .get(0)
                    .body()
                    .replaceAll(".*\"StreamName\":\"([^\"]+)\".*", "$1"))
            .get(0);
    assertThat(r.out().lines().toList().get(1))
        .isEqualTo(
            "key 1: stored in "
                + landed.shardId()
                + ", sequence number "
                + landed.sequenceNumber()
                + ", by call 2 (PutRecords attempt 1, request "
                + r.out().lines().toList().get(1).split("request ")[1]);
    assertThat(r.out().lines().toList().get(2))
        .contains("  call 2 at ")
        .contains("PutRecords attempt 1, record 1 of 2")
        .endsWith(
            ": stored in " + landed.shardId() + ", sequence number " + landed.sequenceNumber());
  }

  @Test
  void aRowKinesisRefusedShowsTheErrorOfEveryAttempt() {
    Project.Result r = project.cli("debug", runId, "--key", "2");

    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1))
        .isEqualTo(
            "key 2: rejected (added): ProvisionedThroughputExceededException: Kinesis "
                + "refused the record on every attempt: Injected by the test for this partition key (gave up after 6 attempts)");
    assertThat(lines.subList(2, lines.size()))
        .hasSize(6)
        .allSatisfy(
            l ->
                assertThat(l)
                    .endsWith(
                        ": ProvisionedThroughputExceededException: Injected by the test for this partition key"));
    assertThat(lines.get(7)).contains("PutRecords attempt 6, record 1 of 1");
  }

  @Test
  void aRowRejectedBeforeSendingShowsItsReasonAndAnUnknownRowIsNotPartOfTheRun() {
    assertThat(project.cli("debug", runId, "--key", "3").out())
        .contains("key 3: rejected (added): record_too_large: ");
    assertThat(project.cli("debug", runId, "--key", "99").out())
        .contains("key 99: not part of this run: no call carried it and it was not rejected");
  }

  @Test
  void jsonGivesTheOutcomeOfARow() {
    JsonNode stored =
        SyncScenarios.parse(project.cli("debug", runId, "--key", "1", "--json").out());
    assertThat(stored.get("outcome").asText()).isEqualTo("stored");
    assertThat(stored.get("shard_id").asText()).startsWith("shardId-");
    assertThat(stored.get("calls")).hasSize(1);

    JsonNode refused =
        SyncScenarios.parse(project.cli("debug", runId, "--key", "2", "--json").out());
    assertThat(refused.get("outcome").asText()).isEqualTo("rejected");
    assertThat(refused.get("reason").asText()).isEqualTo("ProvisionedThroughputExceededException");
    assertThat(refused.get("calls"))
        .hasSize(6)
        .allSatisfy(
            c ->
                assertThat(c.get("error_code").asText())
                    .isEqualTo("ProvisionedThroughputExceededException"));

    JsonNode calls =
        SyncScenarios.parse(project.cli("debug", runId, "--json", "--sync", "customers").out());
    assertThat(calls.get("calls")).as("ListShards and 6 PutRecords").hasSize(7);
    assertThat(calls.get("summary").get("status").asText()).isEqualTo("completed_with_errors");
  }

  @Test
  void anUnknownRunIsAUsageErrorNamingWhereItLooked() {
    Project.Result r = project.cli("debug", "20990101T000000Z-000000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no run '20990101T000000Z-000000' in the state of sync customers");
  }
}
