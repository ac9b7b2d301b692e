package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Trigger;
import io.rowstream.server.RowstreamServer;
import io.rowstream.testing.FaultProxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./bench/run ui [ROWS]}: a backfill of ROWS rows (default 1,000,000) into a simulated
 * stream through {@code rowstream serve}, then the web UI's run page and a key search on that run,
 * timed over real HTTP with a logged-in session: while the service still knows the run, and after a
 * restart (read from the stored history only).
 */
public final class UiBenchmark {
  private static final String TOKEN = "bench-token-0123456789abcdef";
  private static final int REPEAT = 15;
  private static final HttpClient HTTP = HttpClient.newBuilder().build();

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("rowstream-ui-bench");
    try (FaultProxy sink = FaultProxy.sink(64);
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(
          "create table customers as select i as id, 'customer ' || i as name from range(1, "
              + (rows + 1)
              + ") t(i)");
      c.close();
      Path file = dir.resolve("rowstream.yaml");
      Files.writeString(
          file,
          """
          sources:
            model: {type: duckdb, path: model.duckdb}
          destinations:
            kinesis:
              type: kinesis
              region: us-east-1
              endpoint: %s
              credentials: {access_key_id: test, secret_access_key: test-secret}
              max_in_flight: 16
          server:
            port: 0
            api_token: %s
          syncs:
            customers: {source: model, table: customers, primary_key: id, destination: kinesis, stream: s}
          """
              .formatted(sink.endpoint(), TOKEN));
      RowstreamConfig config = ConfigReader.read(file).config().orElseThrow();
      System.out.printf(
          "machine: %d cores, Java %s; %,d rows%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rows);
      RowstreamServer server =
          RowstreamServer.start(config, KinesisDestination::connect, Clock.systemUTC());
      long t0 = System.nanoTime();
      ScheduledRun run = server.scheduler().trigger("customers", Trigger.API);
      while (run.summary().isEmpty()) {
        Thread.sleep(100);
      }
      System.out.printf(
          "run %s: %s in %.1f s%n", run.runId(), run.status(), (System.nanoTime() - t0) / 1e9);
      measure(server.port(), run.runId(), rows, "the service knows the run");
      server.stop(Duration.ofSeconds(10), "bench");
      server = RowstreamServer.start(config, KinesisDestination::connect, Clock.systemUTC());
      measure(server.port(), run.runId(), rows, "after a restart (stored history)");
      server.stop(Duration.ofSeconds(10), "bench");
    }
  }

  private static void measure(int port, String runId, int rows, String label) throws Exception {
    String base = "http://127.0.0.1:" + port;
    String cookie = login(base);
    String key = String.valueOf(rows / 2 + 7);
    List<Long> page = new ArrayList<>();
    List<Long> search = new ArrayList<>();
    for (int i = 0; i < REPEAT; i++) {
      page.add(time(base + "/runs/" + runId, cookie, "API calls"));
      search.add(time(base + "/runs/" + runId + "?key=" + key, cookie, "key-sequence"));
    }
    report(label + ": GET /runs/{id}", page);
    report(label + ": GET /runs/{id}?key=" + key, search);
  }

  private static String login(String base) throws Exception {
    HttpResponse<String> form =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    String loginCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
    csrf.find();
    HttpResponse<String> done =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Cookie", loginCookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf="
                            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                            + "&next=%2F&token="
                            + TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return done.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  /** Milliseconds for one page, which must be a 200 holding {@code expect}. */
  private static long time(String url, String cookie, String expect) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
            HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (r.statusCode() != 200 || !r.body().contains(expect)) {
      throw new IllegalStateException(
          url + " answered " + r.statusCode() + " without '" + expect + "'");
    }
    return ms;
  }

  private static void report(String what, List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf(
        "%-70s first %4d ms, median %4d ms, max %4d ms (%d requests)%n",
        what, ms.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), ms.size());
  }
}
