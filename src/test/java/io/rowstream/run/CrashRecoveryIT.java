package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.HistoryReader;
import io.rowstream.store.sqlite.SqliteHistory;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4.2: a run killed with SIGKILL in the middle of a backfill loses nothing; the next run
 * sends what was not acknowledged, and the only duplicates are records that were in flight.
 */
class CrashRecoveryIT {
  private static final int ROWS = 150_000;
  /** Records acknowledged (as the run's persisted live counts say) before the kill. */
  private static final long KILL_AFTER_RECORDS = 5_000;

  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @Test
  void aRunKilledMidBackfillLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("crash", 16); // paced at 16,000 records/s, above what kinesalite takes
    Project p = new Project(dir)
        .sql("create table customers as select i as id, 'customer ' || i as name, i % 97 as score "
            + "from range(1, " + (ROWS + 1) + ") t(i)")
        .config(kinesis.endpoint(), """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: crash
            """);

    Process run = new ProcessBuilder(javaCommand(p.dir.resolve("rowstream.yaml")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed-run.log").toFile())
        .start();
    // kill once records have landed (the run's live counts say so), however loaded the machine
    Instant deadline = Instant.now().plus(PATIENCE);
    while (acknowledged(p.dir.resolve(".rowstream")) < KILL_AFTER_RECORDS && Instant.now().isBefore(deadline)) {
      assertThat(run.waitFor(100, TimeUnit.MILLISECONDS))
          .as("the run must still be sending when it is killed; see %s", dir.resolve("killed-run.log")).isFalse();
    }
    run.destroyForcibly().waitFor(); // SIGKILL
    int landedBeforeKill = kinesis.readAll("crash").size();
    assertThat(landedBeforeKill).as("records landed before the kill").isBetween(1, ROWS - 1);

    Project.Result second = p.cli("run", "customers", "--json");
    assertThat(second.exitCode()).as(second.err()).isZero();

    List<LandedRecord> landed = kinesis.readAll("crash");
    Map<String, Long> perKey = landed.stream()
        .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
    assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
    long duplicates = landed.size() - ROWS;
    long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
    assertThat(duplicates).as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
        .isBetween(0L, inFlightBound);
    assertThat(perKey.values()).allMatch(n -> n <= 2);
  }

  private static long acknowledged(Path state) {
    if (!Files.isDirectory(state)) {
      return 0;
    }
    try (HistoryReader history = SqliteHistory.reader(state, "customers")) {
      return history.runs(1).stream().mapToLong(r -> r.counts().sent()).sum();
    }
  }

  private static List<String> javaCommand(Path config) {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx256m", "-Daws.cborEnabled=false", "-cp", jar + File.pathSeparator + libs + "/*",
        "io.rowstream.cli.Main", "run", "customers", "--config", config.toString());
  }
}
