package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.store.sqlite.SqliteHistory;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side works while a run of the same sync writes in another process: `runs`, `debug` and
 * the history reader see it running with live counts; after `kill -9` it reads as interrupted with
 * the counts it had acknowledged.
 */
class HistoryWhileRunningIT {
  /**
   * 2 shards paced at 1,000 records/s each; the sink holds its answers after every 1,000 records
   * until the test lets the run go on, so the run is mid-way while the readers read, however loaded
   * the machine is.
   */
  private static final int ROWS = 6_000;

  private static final int STEP = 1_000;

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final FaultProxy sink = FaultProxy.sink(2);
  private Process run;

  @AfterEach
  void stop() throws InterruptedException {
    if (run != null && run.isAlive()) {
      run.destroyForcibly().waitFor();
    }
    sink.close();
  }

  @Test
  void readCommandsOnASyncThatNeverRanCreateNothing() {
    Project p = new Project(dir).customers(100, sink.endpoint(), "live");
    Path state = dir.resolve(".rowstream");

    Project.Result runs = p.cli("runs", "customers");
    Project.Result plan = p.cli("plan", "customers");
    Project.Result debug = p.cli("debug", "no-such-run");

    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("added    100");
    assertThat(debug.exitCode()).isEqualTo(2);
    assertThat(state).as("runs, plan and debug create no state").doesNotExist();
    assertThat(sink.counts().putCalls()).isZero();
  }

  @Test
  void aRunInAnotherProcessIsReadLiveAndAfterAKillShowsWhatItAcknowledged() throws Exception {
    Project p = new Project(dir).customers(ROWS, sink.endpoint(), "live");
    Path state = dir.resolve(".rowstream");
    AnswerGate gate = sink.holdAnswersAfter(STEP);
    run =
        new ProcessBuilder(javaCommand(dir.resolve("rowstream.yaml")))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile())
            .start();

    assertThat(gate.awaitHolding(PATIENCE))
        .as(
            "the run stored %d records and waits for an answer; see %s",
            STEP, dir.resolve("run.log"))
        .isTrue();
    RunView first =
        await(
            "a running run that has sent records",
            state,
            r -> r.status() == RunStatus.RUNNING && r.counts().sent() > 0);
    assertThat(first.phase()).isEqualTo("sending");
    assertThat(first.counts().rows()).isEqualTo(ROWS);
    // the held answers go out; the run is held again after the next step
    gate.release(STEP);
    RunView later =
        await("its sent count to move on", state, r -> r.counts().sent() > first.counts().sent());
    assertThat(gate.awaitHolding(PATIENCE)).as("the run is held again").isTrue();
    assertThat(later.runId()).isEqualTo(first.runId());

    Project.Result runs = p.cli("runs", "customers");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(runs.out()).contains(first.runId()).contains("running (sending)");
    Project.Result runsJson = p.cli("runs", "customers", "--json");
    JsonNode live = JSON.readTree(runsJson.out().lines().findFirst().orElseThrow());
    assertThat(live.path("status").asText()).isEqualTo("running");
    assertThat(live.path("added").path("sent").asLong()).isPositive();
    Project.Result debug = p.cli("debug", first.runId());
    assertThat(debug.exitCode()).as(debug.err()).isZero();
    assertThat(debug.out())
        .contains("run " + first.runId() + " of sync customers: running (sending)");
    assertThat(run.isAlive())
        .as("the run was not held up by the readers; see %s", dir.resolve("run.log"))
        .isTrue();

    run.destroyForcibly().waitFor(); // SIGKILL
    long stored = sink.counts().stored();

    RunView killed = read(state).orElseThrow();
    assertThat(killed.status()).as("its process is gone").isEqualTo(RunStatus.INTERRUPTED);
    assertThat(killed.counts().sent())
        .as("acknowledged at its last report (stored: %d)", stored)
        .isPositive()
        .isLessThanOrEqualTo(stored);
    Project.Result after = p.cli("runs", "customers");
    assertThat(after.out()).contains("interrupted");
  }

  private static RunView await(String what, Path state, Predicate<RunView> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      Optional<RunView> run = read(state);
      if (run.isPresent() && condition.test(run.get())) {
        return run.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("waited " + PATIENCE + " for " + what + "; last seen: " + read(state));
  }

  private static Optional<RunView> read(Path state) {
    if (!Files.isDirectory(state)) {
      return Optional.empty();
    }
    try (HistoryReader reader = SqliteHistory.reader(state, "customers")) {
      return reader.runs(1).stream().findFirst();
    }
  }

  private static List<String> javaCommand(Path config) {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        java,
        "-Xmx256m",
        "-Daws.cborEnabled=false",
        "-cp",
        jar + File.pathSeparator + libs + "/*",
        "io.rowstream.cli.Main",
        "run",
        "customers",
        "--config",
        config.toString());
  }
}
