package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4.2 with the delivered state in the warehouse: a run killed with SIGKILL mid-backfill loses
 * nothing; what Kinesis acknowledged was committed to the planner schema, and the next run sends
 * the rest, duplicating only what was in flight.
 */
class WarehouseCrashRecoveryIT {
  /**
   * Two shards pace the run to 2,000 records/s; the proxy holds the answers after the first 1,000
   * records, so the run is mid-backfill when killed however loaded the machine is.
   */
  private static final int ROWS = 8_000;

  private static final int SHARDS = 2;
  private static final int LANDED_BEFORE_KILL = 1_000;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @Test
  void aRunKilledMidBackfillLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("wh-crash", SHARDS);
    try (EmbeddedPostgres server = EmbeddedPostgres.start();
        FaultProxy proxy = FaultProxy.inFrontOf(kinesis.endpoint())) {
      AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_KILL);
      WarehousePg pg = new WarehousePg(server, "crash");
      pg.sql(
          "create table customers as select i as id, 'customer ' || i as name, i % 97 as score "
              + "from generate_series(1, "
              + ROWS
              + ") i");
      Path config = pg.config(dir, "postgres", proxy.endpoint(), "customers", "wh-crash");

      ChildRun run = ChildRun.start(config, "customers");
      // kill while the run waits for an answer: records landed, requests in flight
      run.awaitHeld(gate, Duration.ofMinutes(3));
      run.process.destroyForcibly().waitFor(); // SIGKILL
      gate.open();
      int landedBeforeKill = kinesis.readAll("wh-crash").size();
      assertThat(landedBeforeKill)
          .as("records landed before the kill, and the run was not done")
          .isBetween(LANDED_BEFORE_KILL, ROWS - 1);
      long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
      assertThat(pg.count("select count(distinct k) from rowstream_planner.customers_acks"))
          .as("what Kinesis acknowledged was committed to the warehouse before the kill")
          .isGreaterThanOrEqualTo(Math.max(0, landedBeforeKill - inFlightBound));

      Project.Result second = new Project(dir).cli("run", "customers", "--json");
      assertThat(second.exitCode()).as(second.err()).isZero();

      List<LandedRecord> landed = kinesis.readAll("wh-crash");
      Map<String, Long> perKey =
          landed.stream()
              .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
      assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
      long duplicates = landed.size() - ROWS;
      assertThat(duplicates)
          .as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
          .isBetween(0L, inFlightBound);
      assertThat(perKey.values()).allMatch(n -> n <= 2);
      assertThat(pg.count("select count(*) from rowstream_planner.customers_delivered"))
          .isEqualTo(ROWS);
      assertThat(pg.count("select count(*) from rowstream_planner.customers_acks"))
          .as("every acknowledgement was folded in")
          .isZero();
    }
  }
}
