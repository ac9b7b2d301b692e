package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT during {@code rowstream run}: the run stops reading, lets the requests in
 * flight answer, commits what was acknowledged, is recorded as {@code cancelled} with its true
 * counts, prints its summary and exits 143 or 130; the next run sends the rest.
 */
class CancellationIT {
  /**
   * Two shards pace the run to 2,000 records/s; the proxy holds the answers after the first 1,000
   * records until the run has taken the signal, so the signal comes mid-backfill however loaded the
   * machine is, and the requests in flight answer within the grace.
   */
  private static final int ROWS = 6_000;

  private static final int SHARDS = 2;
  private static final int LANDED_BEFORE_SIGNAL = 1_000;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;
  private FaultProxy proxy;

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private Project backfill(KinesisEmulator kinesis, String stream) {
    kinesis.createStream(stream, SHARDS);
    proxy = FaultProxy.inFrontOf(kinesis.endpoint());
    return new Project(dir).customers(ROWS, proxy.endpoint(), stream);
  }

  private static long sent(JsonNode summary) {
    return summary.path("added").path("sent").asLong()
        + summary.path("changed").path("sent").asLong()
        + summary.path("removed").path("sent").asLong();
  }

  @Test
  void sigtermMidBackfillCommitsWhatLandedExits143AndTheNextRunSendsTheRest() throws Exception {
    KinesisEmulator kinesis = EMULATORS.kinesalite();
    Project p = backfill(kinesis, "cancel-term");
    AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_SIGNAL);
    ChildRun run = ChildRun.start(p.dir.resolve("rowstream.yaml"), "customers", "--json");
    run.awaitHeld(gate, Duration.ofMinutes(3));

    long signalled = System.nanoTime();
    run.process.destroy(); // SIGTERM
    // the requests in flight answer once the run has stopped sending
    run.awaitStderr("SIGTERM: cancelling the run", Duration.ofSeconds(60));
    gate.open();
    int exit = run.exitCode(Duration.ofSeconds(60));
    Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);

    assertThat(exit).as(run.output()).isEqualTo(143);
    assertThat(stopping)
        .as("in-flight requests get at most the grace")
        .isLessThan(Duration.ofSeconds(30));
    JsonNode summary = SyncScenarios.parse(run.stdout().strip());
    assertThat(summary.path("status").asText()).isEqualTo("cancelled");
    assertThat(summary.path("error").asText()).startsWith("cancelled (SIGTERM)");
    long sentBeforeSignal = sent(summary);
    assertThat(sentBeforeSignal)
        .as("what was acknowledged before the signal")
        .isBetween(1L, ROWS - 1L);
    assertThat(summary.path("rejections").size()).as("a cancelled run rejects nothing").isZero();
    assertThat(run.stderr())
        .contains("customers: cancelled in")
        .contains("SIGTERM: cancelling the run");

    Project.Result runs = p.cli("runs", "customers", "--json");
    JsonNode recorded = SyncScenarios.parse(runs.out().lines().findFirst().orElseThrow());
    assertThat(recorded.path("status").asText()).isEqualTo("cancelled");
    assertThat(sent(recorded)).isEqualTo(sentBeforeSignal);

    Project.Result next = p.cli("run", "customers", "--json");
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(sent(SyncScenarios.parse(next.out())))
        .as("the next run sends exactly the rest")
        .isEqualTo(ROWS - sentBeforeSignal);
    List<LandedRecord> landed = kinesis.readAll("cancel-term");
    Map<String, Long> perKey =
        landed.stream()
            .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
    assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
    assertThat(landed.size() - ROWS)
        .as("duplicates: only answers that came after the grace")
        .isBetween(0, (int) ProducerSettings.defaults().maxUnconfirmedRecords());
  }

  @Test
  void sigintMidBackfillPrintsTheSummaryLineAndExits130() throws Exception {
    KinesisEmulator kinesis = EMULATORS.kinesalite();
    Project p = backfill(kinesis, "cancel-int");
    AnswerGate gate = proxy.holdAnswersAfter(LANDED_BEFORE_SIGNAL);
    ChildRun run = ChildRun.start(p.dir.resolve("rowstream.yaml"), "customers");
    run.awaitHeld(gate, Duration.ofMinutes(3));

    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
    run.awaitStderr("SIGINT: cancelling the run", Duration.ofSeconds(60));
    gate.open();

    assertThat(run.exitCode(Duration.ofSeconds(60))).as(run.output()).isEqualTo(130);
    assertThat(run.stdout())
        .startsWith("customers: cancelled in")
        .contains(" - error [cancelled]: cancelled (SIGINT)");
    Project.Result runs = p.cli("runs", "customers");
    assertThat(runs.out().lines().skip(1).findFirst().orElseThrow()).contains("cancelled");
  }
}
