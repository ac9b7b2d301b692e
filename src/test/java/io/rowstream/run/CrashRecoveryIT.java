package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.io.File;
import java.nio.file.Path;
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
  private static final long KILL_AFTER_MS = 6_000;

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
    boolean exitedEarly = run.waitFor(KILL_AFTER_MS, TimeUnit.MILLISECONDS);
    assertThat(exitedEarly).as("the run must still be sending when it is killed; see %s", dir.resolve("killed-run.log"))
        .isFalse();
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

  private static List<String> javaCommand(Path config) {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx256m", "-Daws.cborEnabled=false", "-cp", jar + File.pathSeparator + libs + "/*",
        "io.rowstream.cli.Main", "run", "customers", "--config", config.toString());
  }
}
