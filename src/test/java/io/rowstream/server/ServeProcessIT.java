package io.rowstream.server;

import static io.rowstream.server.ServeProject.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.cli.Main;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code rowstream serve} process: SIGTERM stops it cleanly, {@code kill -9} loses nothing.
 */
class ServeProcessIT {
  /**
   * The sink holds its answers after the first 1,000 records until the test has signalled or killed
   * serve, so the run is mid-way then however loaded the machine is.
   */
  private static final int ROWS = 6_000;

  private static final Pattern LISTENING = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FaultProxy sink;
  private AnswerGate gate;
  private ServeProject project;
  private Process serve;

  @BeforeEach
  void project() {
    sink = FaultProxy.sink(2);
    gate = sink.holdAnswersAfter(1_000);
    project = new ServeProject(dir, sink.endpoint(), ROWS).destination("max_in_flight: 1");
    project.write(sync("customers", ""));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null && serve.isAlive()) {
      serve.destroyForcibly().waitFor();
    }
    sink.close();
  }

  private Api startServe(String name) throws IOException, InterruptedException {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve(name + ".log");
    serve =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-Daws.cborEnabled=false",
                    "-cp",
                    jar + File.pathSeparator + libs + "/*",
                    "io.rowstream.cli.Main",
                    "serve",
                    "--log-format",
                    "json",
                    "--config",
                    project.file.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && serve.isAlive()) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return new Api(Integer.parseInt(m.group(1)), ServeProject.TOKEN);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("serve did not start; its log:\n" + Files.readString(log));
  }

  private void awaitLog(Path log, String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains(text)) {
      assertThat(System.nanoTime())
          .as("serve logged %s within 60 s: %s", text, Files.readString(log))
          .isLessThan(deadline);
      serve.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  private String startRunUntilSending(Api api) throws InterruptedException {
    String runId = api.post("/api/v1/syncs/customers/runs", "{}").json().path("run_id").asText();
    api.await("/api/v1/runs/" + runId, j -> j.path("added").path("sent").asLong() >= 1000, 60);
    assertThat(gate.awaitHolding(Duration.ofSeconds(60)))
        .as("the run waits for an answer")
        .isTrue();
    return runId;
  }

  private JsonNode cli(String... args) throws IOException {
    StringWriter out = new StringWriter();
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--config";
    full[args.length + 1] = project.file.toString();
    int code =
        Main.execute(full, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).as(String.join(" ", args) + ": " + out).isIn(0, 3);
    return JSON.readTree(out.toString().lines().findFirst().orElseThrow());
  }

  @Test
  void sigtermStopsWithinThirtySecondsRecordsTheRunCancelledAndCommitsWhatWasAcknowledged()
      throws Exception {
    Api api = startServe("sigterm");
    String runId = startRunUntilSending(api);

    long signalled = System.nanoTime();
    serve.destroy(); // SIGTERM
    // the request in flight answers once serve has taken the signal
    awaitLog(dir.resolve("sigterm.log"), "stopping (SIGTERM)");
    gate.open();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
    assertThat(serve.exitValue()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(30));

    JsonNode cancelled = cli("runs", "customers", "--json");
    assertThat(cancelled.path("run_id").asText()).isEqualTo(runId);
    assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
    long sentBefore = cancelled.path("added").path("sent").asLong();
    assertThat(sentBefore).isBetween(1000L, ROWS - 1L);
    String log = Files.readString(dir.resolve("sigterm.log"));
    assertThat(log)
        .contains("\"message\":\"stopping (SIGTERM)")
        .contains("\"run_id\":\"" + runId + "\"")
        .doesNotContain(ServeProject.TOKEN)
        .doesNotContain(ServeProject.AWS_SECRET);

    JsonNode rest = cli("run", "customers", "--json");
    assertThat(rest.path("status").asText()).isEqualTo("succeeded");
    assertThat(rest.path("added").path("sent").asLong())
        .as("what was acknowledged was committed")
        .isEqualTo(ROWS - sentBefore);
  }

  @Test
  void killNineLosesNothingAndTheNextStartRecoversTheRun() throws Exception {
    Api api = startServe("killed");
    String killedRun = startRunUntilSending(api);
    serve.destroyForcibly().waitFor(); // SIGKILL
    gate.open();

    Api restarted = startServe("restarted");
    JsonNode recovered = restarted.get("/api/v1/runs/" + killedRun).json();
    assertThat(recovered.path("status").asText()).isEqualTo("interrupted");
    assertThat(restarted.get("/api/v1/syncs/customers").json().path("status").asText())
        .isEqualTo("failed");

    String next =
        restarted.post("/api/v1/syncs/customers/runs", "{}").json().path("run_id").asText();
    JsonNode done =
        restarted.await("/api/v1/runs/" + next, j -> j.path("finished_at").isTextual(), 120);
    assertThat(done.path("status").asText()).isEqualTo("succeeded");
    long stored = sink.counts().stored();
    assertThat(stored).as("every row landed").isGreaterThanOrEqualTo(ROWS);
    assertThat(stored - ROWS)
        .as("duplicates only from the requests in flight at the kill")
        .isLessThanOrEqualTo(500);

    String last =
        restarted.post("/api/v1/syncs/customers/runs", "{}").json().path("run_id").asText();
    JsonNode nothingLeft =
        restarted.await("/api/v1/runs/" + last, j -> j.path("finished_at").isTextual(), 60);
    assertThat(nothingLeft.path("added").path("planned").asLong()).isZero();
    serve.destroy();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.exitValue()).isZero();
  }
}
