package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4.2: a run killed with SIGKILL in the middle of a backfill loses nothing; the next run
 * sends what was not acknowledged, and the only duplicates are records that were in flight.
 */
class CrashRecoveryIT {
  /**
   * Four shards pace the run to 4,000 records/s; the proxy holds the answers after the first 1,000
   * records, so the run is mid-backfill when killed however loaded the machine is.
   */
  private static final int ROWS = 12_000;

  private static final int SHARDS = 4;
  private static final int LANDED_BEFORE_KILL = 1_000;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @Test
  void aRunKilledMidBackfillLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("crash", SHARDS);
    try (FaultProxy proxy = FaultProxy.inFrontOf(kinesis.endpoint())) {
      AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_KILL);
      Project p =
          new Project(dir)
              .sql(
                  "create table customers as select i as id, 'customer ' || i as name, "
                      + "i % 97 as score from range(1, "
                      + (ROWS + 1)
                      + ") t(i)")
              .config(
                  proxy.endpoint(),
                  """
              customers:
                source: model
                table: customers
                primary_key: id
                destination: kinesis
                stream: crash
              """);

      ChildRun run = ChildRun.start(p.dir.resolve("rowstream.yaml"), "customers");
      // kill while the run waits for an answer: records landed, requests in flight
      run.awaitHeld(gate, Duration.ofMinutes(3));
      run.process.destroyForcibly().waitFor(); // SIGKILL
      List<String> unanswered = gate.heldKeys();
      gate.open();
      int landedBeforeKill = kinesis.readAll("crash").size();
      assertThat(landedBeforeKill)
          .as("records landed before the kill, and the run was not done")
          .isBetween(LANDED_BEFORE_KILL, ROWS - 1);

      Project.Result second = p.cli("run", "customers", "--json");
      assertThat(second.exitCode()).as(second.err()).isZero();

      List<LandedRecord> landed = kinesis.readAll("crash");
      Map<String, Long> perKey =
          landed.stream()
              .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
      assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
      long duplicates = landed.size() - ROWS;
      long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
      assertThat(duplicates)
          .as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
          .isBetween(0L, inFlightBound);
      assertThat(unanswered)
          .as("records stored while the run waited for their answer")
          .isNotEmpty()
          .allSatisfy(
              k ->
                  assertThat(perKey.get(k))
                      .as("a record whose answer never came is sent again: %s", k)
                      .isEqualTo(2L));
      assertThat(perKey.values()).allMatch(n -> n <= 2);
    }
  }
}
