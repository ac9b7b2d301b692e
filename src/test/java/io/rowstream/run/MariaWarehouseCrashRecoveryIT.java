package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.EmbeddedMariaDb;
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
 * SPEC §4.2 with the delivered state in a MariaDB planner database: a run killed with SIGKILL
 * mid-backfill loses nothing; what Kinesis acknowledged was committed there, and the next run sends
 * the rest, duplicating only what was in flight.
 */
class MariaWarehouseCrashRecoveryIT {
  /**
   * Two shards pace the run to 2,000 records/s: about 40 s, room to kill it on a loaded machine.
   */
  private static final int ROWS = 80_000;

  private static final int SHARDS = 2;
  private static final int LANDED_BEFORE_KILL = 1_000;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @Test
  void aRunKilledMidBackfillLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("mwh-crash", SHARDS);
    try (EmbeddedMariaDb server = EmbeddedMariaDb.start();
        FaultProxy proxy = FaultProxy.inFrontOf(kinesis.endpoint())) {
      AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_KILL);
      WarehouseMaria maria = new WarehouseMaria(server, "crash");
      maria.sql(
          "create table customers as select seq as id, concat('customer ', seq) as name,"
              + " seq % 97 as score from seq_1_to_"
              + ROWS);
      maria.user(
          "crasher",
          "select on crash.*",
          "select, insert, update, delete, create, create temporary tables on crash_planner.*");
      Path config =
          maria.config(dir, "crasher", "crash_planner", proxy.endpoint(), "customers", "mwh-crash");

      ChildRun run = ChildRun.start(config, "customers");
      // kill while the run waits for an answer: records landed, requests in flight
      run.awaitHeld(gate, Duration.ofMinutes(3));
      run.process.destroyForcibly().waitFor(); // SIGKILL
      gate.open();
      int landedBeforeKill = kinesis.readAll("mwh-crash").size();
      assertThat(landedBeforeKill)
          .as("records landed before the kill, and the run was not done")
          .isBetween(LANDED_BEFORE_KILL, ROWS - 1);
      long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
      assertThat(maria.count("select count(distinct k) from crash_planner.customers_acks"))
          .as("what Kinesis acknowledged was committed to the warehouse before the kill")
          .isGreaterThanOrEqualTo(Math.max(0, landedBeforeKill - inFlightBound));

      Project.Result second = new Project(dir).cli("run", "customers", "--json");
      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();

      List<LandedRecord> landed = kinesis.readAll("mwh-crash");
      Map<String, Long> perKey =
          landed.stream()
              .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
      assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
      long duplicates = landed.size() - ROWS;
      assertThat(duplicates)
          .as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
          .isBetween(0L, inFlightBound);
      assertThat(perKey.values()).allMatch(n -> n <= 2);
      assertThat(maria.count("select count(*) from crash_planner.customers_delivered"))
          .isEqualTo(ROWS);
      assertThat(maria.count("select count(*) from crash_planner.customers_acks"))
          .as("every acknowledgement was folded in")
          .isZero();
    }
  }
}
