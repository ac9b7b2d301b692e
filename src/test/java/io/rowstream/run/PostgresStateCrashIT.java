package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4.2 with the state in PostgreSQL: a run process killed with SIGKILL mid-backfill loses
 * nothing; its lease dies with its sessions, the next run takes the sync at once, sends what was
 * not acknowledged, and records the killed run as interrupted.
 */
class PostgresStateCrashIT {
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
  void aRunKilledMidBackfillLosesNothingAndTheNextRunTakesTheLeaseAtOnce() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    String stream = "pg-crash-" + System.nanoTime();
    kinesis.createStream(stream, SHARDS);
    try (EmbeddedPostgres pg = EmbeddedPostgres.start();
        FaultProxy proxy = FaultProxy.inFrontOf(kinesis.endpoint())) {
      AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_KILL);
      Project p =
          new Project(dir)
              .sql(
                  "create table customers as select i as id, 'customer ' || i as name "
                      + "from range(1, "
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
                stream: %s
              """
                      .formatted(stream));
      Path config = p.dir.resolve("rowstream.yaml");
      Files.writeString(
          config,
          """
          state:
            type: postgres
            url: jdbc:postgresql://127.0.0.1:%d/postgres
            user: postgres
          """
                  .formatted(pg.getPort())
              + Files.readString(config));

      ChildRun run = ChildRun.start(config, "customers");
      // kill while the run waits for an answer: records landed, requests in flight
      run.awaitHeld(gate, Duration.ofMinutes(3));
      run.process.destroyForcibly().waitFor(); // SIGKILL
      gate.open();
      assertThat(kinesis.readAll(stream).size())
          .as("records landed before the kill, and the run was not done")
          .isBetween(LANDED_BEFORE_KILL, ROWS - 1);

      Project.Result second = p.cli("run", "customers", "--json");
      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();

      List<LandedRecord> landed = kinesis.readAll(stream);
      Map<String, Long> perKey =
          landed.stream()
              .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
      assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
      long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
      assertThat((long) landed.size() - ROWS)
          .as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
          .isBetween(0L, inFlightBound);

      Project.Result runs = p.cli("runs", "customers");
      assertThat(runs.out()).contains("interrupted");
    }
  }
}
