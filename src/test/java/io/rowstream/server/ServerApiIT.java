package io.rowstream.server;

import static io.rowstream.server.ServeProject.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API, /healthz and /metrics over real HTTP against a running server and a simulated
 * stream.
 */
class ServerApiIT {
  @TempDir Path dir;
  private FaultProxy sink;
  private ServeProject project;
  private RowstreamServer server;
  private Api api;
  private final List<String> bodies = new ArrayList<>();

  @BeforeEach
  void sink() {
    sink = FaultProxy.sink(2);
    project = new ServeProject(dir, sink.endpoint(), 50);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(10), "test over");
    }
    sink.close();
    for (String body : bodies) {
      assertThat(body).doesNotContain(ServeProject.TOKEN).doesNotContain(ServeProject.AWS_SECRET);
    }
  }

  private void start(String... syncs) {
    project.write(syncs);
    RowstreamConfig config = ConfigReader.read(project.file).config().orElseThrow();
    server = RowstreamServer.start(config, KinesisDestination::connect, Clock.systemUTC());
    api = new Api(server.port(), ServeProject.TOKEN);
  }

  private Api.Response get(String path) {
    Api.Response r = api.get(path);
    bodies.add(r.body());
    return r;
  }

  private Api.Response post(String path, String body) {
    Api.Response r = api.post(path, body);
    bodies.add(r.body());
    return r;
  }

  private JsonNode runToEnd(String sync) {
    Api.Response r = post("/api/v1/syncs/" + sync + "/runs", "{\"full_resync\": false}");
    assertThat(r.status()).isEqualTo(202);
    String runId = r.json().path("run_id").asText();
    assertThat(r.raw().headers().firstValue("Location")).contains("/api/v1/runs/" + runId);
    return api.await("/api/v1/runs/" + runId, j -> j.path("finished_at").isTextual(), 60);
  }

  @Test
  void healthzNeedsNoTokenButTheApiAndMetricsDo() {
    start(sync("customers", ""));
    Api anonymous = api.withToken(null);
    Api.Response health = anonymous.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("serving");
    assertThat(health.json().path("config").path("state").asText()).isEqualTo("ok");

    for (String path :
        List.of("/api/v1/syncs", "/metrics", "/api/v1/runs/x", "/api/v1/nothing-here")) {
      Api.Response r = anonymous.get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.errorCode()).isEqualTo("unauthorized");
      assertThat(r.raw().headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"rowstream\"");
    }
    Api.Response wrong = api.withToken("not-the-token").post("/api/v1/syncs/customers/runs", "{}");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").path("message").asText())
        .contains("not the server's api_token");
    assertThat(get("/api/v1/syncs").status()).isEqualTo(200);
    assertThat(anonymous.get("/api/v1/openapi.json").status()).isEqualTo(401);
    assertThat(get("/api/v1/openapi.json").json().path("openapi").asText()).startsWith("3.");
  }

  @Test
  void authNoneOnALoopbackBindServesTheApiWithoutAToken() {
    project.server("server:\n  bind: 127.0.0.1\n  port: 0\n  auth: none\n");
    start(sync("customers", ""));
    Api anonymous = api.withToken(null);
    assertThat(anonymous.get("/api/v1/syncs").status()).isEqualTo(200);
    assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void aTriggeredRunIsPolledUntilItEndsAndItsHistoryCallsAndKeysAreShown() {
    start(sync("customers", ""));
    JsonNode listed = get("/api/v1/syncs").json().path("syncs").get(0);
    assertThat(listed.path("name").asText()).isEqualTo("customers");
    assertThat(listed.path("stream").asText()).isEqualTo("customers");
    assertThat(listed.path("schedule").asText()).isEqualTo("manual");
    assertThat(listed.path("status").asText()).isEqualTo("pending");
    assertThat(listed.path("next_run_at").isNull()).isTrue();

    JsonNode run = runToEnd("customers");
    assertThat(run.path("status").asText()).isEqualTo("succeeded");
    assertThat(run.path("added").path("sent").asLong()).isEqualTo(50);
    assertThat(run.path("trigger").asText()).isEqualTo("api");
    String runId = run.path("run_id").asText();

    JsonNode sync = get("/api/v1/syncs/customers").json();
    assertThat(sync.path("status").asText()).isEqualTo("healthy");
    assertThat(sync.path("last_run").path("run_id").asText()).isEqualTo(runId);

    project.sql("update customers set name = 'changed' where id = 7");
    JsonNode second = runToEnd("customers");
    assertThat(second.path("changed").path("sent").asLong()).isEqualTo(1);

    JsonNode runs = get("/api/v1/syncs/customers/runs?limit=1").json();
    assertThat(runs.path("runs")).hasSize(1);
    assertThat(runs.path("runs").get(0).path("run_id").asText())
        .isEqualTo(second.path("run_id").asText());
    JsonNode page2 =
        get("/api/v1/syncs/customers/runs?limit=1&before=" + runs.path("next_before").asText())
            .json();
    assertThat(page2.path("runs").get(0).path("run_id").asText()).isEqualTo(runId);
    assertThat(page2.path("next_before").isNull()).isTrue();

    JsonNode calls = get("/api/v1/runs/" + runId + "/calls").json().path("calls");
    assertThat(calls).isNotEmpty();
    assertThat(calls.findValuesAsText("operation")).contains("PutRecords");
    assertThat(get("/api/v1/runs/" + runId + "/rejections").json().path("rejections")).isEmpty();

    JsonNode key = get("/api/v1/syncs/customers/keys/7").json();
    assertThat(key.path("runs")).hasSize(2);
    assertThat(key.path("runs").get(0).path("calls").get(0).path("shard_id").asText())
        .startsWith("shardId-");
  }

  @Test
  void aFullResyncForgetsTheDeliveredStateInItsRunAndSendsEveryRowAgainAsAdded() {
    start(sync("customers", ""));
    JsonNode first = runToEnd("customers");
    assertThat(first.path("added").path("sent").asLong()).isEqualTo(50);
    assertThat(first.has("full_resync")).as("an ordinary run's summary is unchanged").isFalse();
    assertThat(sink.counts().stored()).isEqualTo(50);

    Api.Response r = post("/api/v1/syncs/customers/runs", "{\"full_resync\": true}");
    assertThat(r.status()).isEqualTo(202);
    String runId = r.json().path("run_id").asText();
    JsonNode resync =
        api.await("/api/v1/runs/" + runId, j -> j.path("finished_at").isTextual(), 60);
    assertThat(resync.path("status").asText()).isEqualTo("succeeded");
    assertThat(resync.path("full_resync").asBoolean()).isTrue();
    assertThat(resync.path("forgotten").asLong()).isEqualTo(50);
    assertThat(resync.path("added").path("sent").asLong()).isEqualTo(50);
    assertThat(resync.path("changed").path("planned").asLong()).isZero();
    assertThat(resync.path("removed").path("planned").asLong()).isZero();
    assertThat(sink.counts().stored()).as("the stream holds every record twice").isEqualTo(100);

    JsonNode stored = get("/api/v1/syncs/customers/runs?limit=1").json().path("runs").get(0);
    assertThat(stored.path("run_id").asText()).isEqualTo(runId);
    assertThat(stored.path("full_resync").asBoolean())
        .as("the run history records the forget")
        .isTrue();
    assertThat(stored.path("forgotten").asLong()).isEqualTo(50);
    JsonNode key = get("/api/v1/syncs/customers/keys/7").json();
    assertThat(key.path("runs")).hasSize(2);

    JsonNode after = runToEnd("customers");
    assertThat(after.path("added").path("planned").asLong())
        .as("the state holds every row again")
        .isZero();
    assertThat(after.has("full_resync")).isFalse();
  }

  @Test
  void everyBadRequestIsA4xxWithAnErrorCode() {
    start(sync("customers", ""));
    JsonNode done = runToEnd("customers");
    String runId = done.path("run_id").asText();
    record Case(String method, String path, String body, int status, String code) {}
    List<Case> cases =
        List.of(
            new Case("GET", "/api/v1/syncs/nope", null, 404, "not_found"),
            new Case("POST", "/api/v1/syncs/nope/runs", "{}", 404, "not_found"),
            new Case("GET", "/api/v1/syncs/nope/runs", null, 404, "not_found"),
            new Case("GET", "/api/v1/syncs/nope/keys/1", null, 404, "not_found"),
            new Case("POST", "/api/v1/syncs/nope/pause", "", 404, "not_found"),
            new Case("GET", "/api/v1/runs/20200101T000000Z-abc", null, 404, "not_found"),
            new Case("GET", "/api/v1/runs/20200101T000000Z-abc/calls", null, 404, "not_found"),
            new Case("POST", "/api/v1/runs/20200101T000000Z-abc/cancel", "", 404, "not_found"),
            new Case("GET", "/api/v1/no/such/endpoint", null, 404, "not_found"),
            new Case("POST", "/api/v1/syncs/customers/runs", "{not json", 400, "bad_request"),
            new Case("POST", "/api/v1/syncs/customers/runs", "[1, 2]", 400, "bad_request"),
            new Case(
                "POST",
                "/api/v1/syncs/customers/runs",
                "{\"fullresync\": true}",
                400,
                "bad_request"),
            new Case(
                "POST",
                "/api/v1/syncs/customers/runs",
                "{\"full_resync\": \"yes\"}",
                400,
                "bad_request"),
            new Case("GET", "/api/v1/syncs/customers/runs?limit=0", null, 400, "bad_request"),
            new Case("GET", "/api/v1/syncs/customers/runs?limit=abc", null, 400, "bad_request"),
            new Case("GET", "/api/v1/syncs/customers/runs?limit=101", null, 400, "bad_request"),
            new Case(
                "GET", "/api/v1/syncs/customers/runs?before=%20bad%20id", null, 400, "bad_request"),
            new Case("GET", "/api/v1/runs/bad%20id", null, 400, "bad_request"),
            new Case("DELETE", "/api/v1/syncs/customers", null, 405, "bad_request"),
            new Case("POST", "/api/v1/runs/" + runId + "/cancel", "", 409, "conflict"));
    for (Case c : cases) {
      Api.Response r =
          c.body() == null && c.method().equals("GET")
              ? get(c.path())
              : c.method().equals("POST")
                  ? post(c.path(), c.body())
                  : api.send(c.method(), c.path());
      assertThat(r.status())
          .as(c.method() + " " + c.path() + ": " + r.body())
          .isEqualTo(c.status());
      assertThat(r.errorCode()).as(c.method() + " " + c.path()).isEqualTo(c.code());
      assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    }
  }

  @Test
  void triggersWhileARunGoesOnCoalesceAndAQueuedRunCanBeCancelled() {
    // every answer waits until the queued run was looked at: the first run is still going then,
    // however loaded the machine is
    AnswerGate gate = sink.holdAnswersAfter(0);
    start(sync("customers", ""));
    Api.Response first = post("/api/v1/syncs/customers/runs", "");
    String firstId = first.json().path("run_id").asText();
    JsonNode running =
        api.await("/api/v1/runs/" + firstId, j -> j.path("status").asText().equals("running"), 30);
    assertThat(running.path("finished_at").isNull()).isTrue();
    assertThat(get("/api/v1/syncs/customers").json().path("status").asText())
        .isIn("querying", "sending");

    Api.Response second = post("/api/v1/syncs/customers/runs", "{}");
    Api.Response third = post("/api/v1/syncs/customers/runs", "{}");
    assertThat(second.json().path("status").asText()).isEqualTo("queued");
    assertThat(third.json().path("run_id").asText())
        .isEqualTo(second.json().path("run_id").asText());
    assertThat(third.json().path("coalesced").asBoolean()).isTrue();

    String queuedId = second.json().path("run_id").asText();
    Api.Response cancelled = post("/api/v1/runs/" + queuedId + "/cancel", "");
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(get("/api/v1/runs/" + queuedId).json().path("status").asText())
        .isEqualTo("cancelled");
    JsonNode runs = get("/api/v1/syncs/customers/runs").json().path("runs");
    assertThat(runs.findValuesAsText("run_id")).contains(firstId, queuedId);

    gate.open();
    JsonNode end = api.await("/api/v1/runs/" + firstId, j -> j.path("finished_at").isTextual(), 60);
    assertThat(end.path("added").path("sent").asLong()).isEqualTo(50);
    assertThat(sink.maxConcurrentPuts()).isGreaterThan(0);
  }

  @Test
  void cancellingARunningRunCommitsWhatWasAcknowledgedAndRecordsItCancelled() throws Exception {
    project.sql("insert into customers select i, 'more ' || i from range(51, 5001) t(i)");
    // answers wait after the first 1,000 records until the cancel was asked for: the run is
    // mid-way then, however loaded the machine is
    AnswerGate gate = sink.holdAnswersAfter(1_000);
    start(sync("customers", ""));
    String runId = post("/api/v1/syncs/customers/runs", "").json().path("run_id").asText();
    api.await("/api/v1/runs/" + runId, j -> j.path("added").path("sent").asLong() > 0, 60);
    assertThat(gate.awaitHolding(Duration.ofSeconds(60)))
        .as("the run waits for an answer")
        .isTrue();
    assertThat(post("/api/v1/runs/" + runId + "/cancel", "").json().path("status").asText())
        .isEqualTo("cancelling");
    gate.open();
    JsonNode end = api.await("/api/v1/runs/" + runId, j -> j.path("finished_at").isTextual(), 60);
    assertThat(end.path("status").asText()).isEqualTo("cancelled");
    assertThat(end.path("added").path("sent").asLong()).isBetween(1L, 4999L);
  }

  @Test
  void pauseAndResumeChangeTheSyncsScheduleNotItsTriggers() {
    start(sync("customers", "schedule: \"0 0 1 1 *\""));
    JsonNode paused = post("/api/v1/syncs/customers/pause", "").json();
    assertThat(paused.path("paused").asBoolean()).isTrue();
    assertThat(paused.path("status").asText()).isEqualTo("disabled");
    assertThat(paused.path("next_run_at").isNull()).isTrue();
    JsonNode resumed = post("/api/v1/syncs/customers/resume", "").json();
    assertThat(resumed.path("paused").asBoolean()).isFalse();
    assertThat(resumed.path("next_run_at").isTextual()).isTrue();
  }

  @Test
  void aChangedConfigFileIsAppliedAndABadOneKeepsTheOldRunningAndIsReported() {
    start(sync("customers", ""));
    project.write(sync("customers", ""), sync("orders", "schedule: every 1h\npaused: true"));
    api.await("/api/v1/syncs", j -> j.path("syncs").size() == 2, 15);
    assertThat(get("/api/v1/syncs/orders").json().path("status").asText()).isEqualTo("disabled");

    String good = project.read();
    project.writeRaw(good.replace("schedule: every 1h", "schedule: every 0s"));
    JsonNode health =
        api.await("/healthz", j -> j.path("config").path("state").asText().equals("invalid"), 15);
    assertThat(health.path("status").asText()).isEqualTo("serving");
    assertThat(health.path("config").path("problems").get(0).asText())
        .contains("syncs.orders.schedule: 'every 0s' is not a schedule");
    assertThat(get("/api/v1/syncs").json().path("syncs")).hasSize(2);
    Api.Response reload = post("/api/v1/reload", "");
    assertThat(reload.status()).isEqualTo(422);
    assertThat(reload.errorCode()).isEqualTo("config_invalid");
    assertThat(reload.json().path("error").path("message").asText()).contains("keeps running");
    assertThat(runToEnd("customers").path("status").asText()).isEqualTo("succeeded");

    project.writeRaw(good);
    Api.Response fixed = post("/api/v1/reload", "");
    assertThat(fixed.status()).isEqualTo(200);
    assertThat(fixed.json().path("config").path("state").asText()).isEqualTo("ok");
    assertThat(get("/healthz").json().path("config").path("state").asText()).isEqualTo("ok");
  }

  @Test
  void aFailedRunSendsItsAlertFromTheService() throws Exception {
    java.util.concurrent.BlockingQueue<String> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          received.add(
              new String(
                  exchange.getRequestBody().readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hook.start();
    try {
      project.server(
          """
          server:
            port: 0
            api_token: %s
          alerts:
            channels:
              hook: {type: webhook, url: "http://127.0.0.1:%d/hook", secret: a-webhook-signing-secret}
            recipients:
              - {channel: hook, level: warning}
          """
              .formatted(ServeProject.TOKEN, hook.getAddress().getPort()));
      sink.faults(FaultProxy.Faults.none().failingEveryPut("ResourceNotFoundException", 400));
      start(sync("customers", ""));
      assertThat(runToEnd("customers").path("status").asText()).isEqualTo("failed");
      String alert = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(alert).isNotNull().contains("customers").contains("fatal_error");
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void metricsShowRunsRowsCallsAndTheJvmInPrometheusText() {
    start(sync("customers", ""));
    runToEnd("customers");
    Api.Response metrics = get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.raw().headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain");
    assertThat(metrics.body())
        .contains("rowstream_runs_total{status=\"succeeded\",sync=\"customers\"} 1.0")
        .contains("rowstream_rows_sent_total{event=\"added\",sync=\"customers\"} 50.0")
        .contains("rowstream_put_records_seconds_bucket{sync=\"customers\"")
        .contains(
            "rowstream_shard_records_total{shard=\"shardId-000000000000\",sync=\"customers\"}")
        .contains("rowstream_run_duration_seconds_count{sync=\"customers\"} 1")
        .contains("rowstream_last_success_age_seconds{sync=\"customers\"}")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
  }
}
