package io.rowstream.bench;

import io.rowstream.testing.FaultProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N {@code rowstream serve} worker processes (N = 1, 2, 3) on one PostgreSQL state (embedded) and
 * one PostgreSQL model, with M syncs, each a backfill to its own stream of a simulated sink (no
 * backend, no throttling: each run paces itself to its stream's shards, 1,000 records/s each, as
 * against Kinesis). Sync i is triggered on worker i mod N; each worker runs {@code
 * max_concurrent_runs: 2} at once, and one more since the runs are asked through the API. Measures
 * the records the sink stored per second over a window after a warm-up, and the CPU the workers
 * used. Usage: WorkersBenchmark [SYNCS [SECONDS [SHARDS_PER_STREAM]]]
 */
public final class WorkersBenchmark {
  private static final int WARM_UP_SECONDS = 5;
  private static final int MAX_CONCURRENT_RUNS = 2;
  private static final String TOKEN = "bench-workers-token-0123456789abcdef";
  private static final Pattern SERVING = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+) ");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int syncs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int shards = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    // enough rows that no run ends inside the window, even on one worker
    int rows = shards * 1_000 * (WARM_UP_SECONDS + seconds + 20);
    System.out.printf(
        "%d cores, %s %s; %d syncs of %,d rows, %d shard(s) per stream (a run paces to %,d"
            + " records/s), max_concurrent_runs %d per worker; window %d s after %d s warm-up%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        syncs,
        rows,
        shards,
        shards * 1_000,
        MAX_CONCURRENT_RUNS,
        seconds,
        WARM_UP_SECONDS);
    Path dir = Files.createTempDirectory("rowstream-bench-workers");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create schema model");
        for (int i = 0; i < syncs; i++) {
          s.execute(
              "create table model.t"
                  + i
                  + " as select g as id, 'customer ' || g as name, g % 97 as score,"
                  + " md5(g::text) as note from generate_series(1, "
                  + rows
                  + ") g");
        }
      }
      double one = 0;
      System.out.printf(
          "%-8s %12s %14s %16s %10s%n",
          "workers", "records/s", "x one worker", "workers' CPU", "load (1m)");
      for (int n = 1; n <= 3; n++) {
        Result r = measure(postgres, dir, n, syncs, seconds, shards);
        if (n == 1) {
          one = r.recordsPerSecond();
        }
        System.out.printf(
            "%-8d %,12.0f %13.2fx %11.2f cores %10s%n",
            n, r.recordsPerSecond(), r.recordsPerSecond() / one, r.cores(), load());
      }
    }
  }

  private record Result(double recordsPerSecond, double cores) {}

  private static Result measure(
      EmbeddedPostgres postgres, Path dir, int n, int syncs, int seconds, int shards)
      throws Exception {
    List<Process> workers = new ArrayList<>();
    try (FaultProxy sink = FaultProxy.sink(shards)) {
      sink.throttle(null);
      Path config = writeConfig(postgres, dir, sink.endpoint(), n, syncs);
      List<Integer> ports = new ArrayList<>();
      for (int w = 0; w < n; w++) {
        Path log = dir.resolve("n" + n + "-worker" + w + ".log");
        Process p = start(config, log);
        workers.add(p);
        ports.add(awaitPort(p, log));
      }
      for (int i = 0; i < syncs; i++) {
        trigger(ports.get(i % n), "s" + i);
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (sink.counts().stored() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(WARM_UP_SECONDS));
      long c0 = sink.counts().stored();
      long cpu0 = cpuNanos(workers);
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long c1 = sink.counts().stored();
      long cpu1 = cpuNanos(workers);
      long t1 = System.nanoTime();
      double elapsed = (t1 - t0) / 1e9;
      return new Result((c1 - c0) / elapsed, (cpu1 - cpu0) / 1e9 / elapsed);
    } finally {
      for (Process p : workers) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private static long cpuNanos(List<Process> workers) {
    long total = 0;
    for (Process p : workers) {
      total += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  private static Path writeConfig(
      EmbeddedPostgres postgres, Path dir, String endpoint, int n, int syncs) throws Exception {
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    StringBuilder yaml =
        new StringBuilder(
            """
            state:
              type: postgres
              url: %s
              user: postgres
              password: postgres
              schema: bench_%d
            sources:
              model:
                type: postgres
                url: %s
                user: postgres
                password: postgres
            destinations:
              sink:
                type: kinesis
                region: us-east-1
                endpoint: %s
                credentials:
                  access_key_id: bench
                  secret_access_key: bench-secret-0123456789
            server:
              bind: 127.0.0.1
              port: 0
              api_token: %s
              max_concurrent_runs: %d
              lease_ttl: 10s
            syncs:
            """
                .formatted(url, n, url, endpoint, TOKEN, MAX_CONCURRENT_RUNS));
    for (int i = 0; i < syncs; i++) {
      yaml.append(
          """
            s%d:
              source: model
              query: select * from model.t%d
              primary_key: id
              destination: sink
              stream: n%d-s%d
          """
              .formatted(i, i, n, i));
    }
    Path file = dir.resolve("rowstream-" + n + ".yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }

  private static Process start(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "-Xmx512m",
                "-Daws.cborEnabled=false",
                "-cp",
                "target/rowstream.jar" + File.pathSeparator + "target/lib/*",
                "io.rowstream.cli.Main",
                "serve",
                "--config",
                config.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = SERVING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("serve did not start; its log:\n" + Files.readString(log));
  }

  private static void trigger(int port, String sync) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/syncs/" + sync + "/runs"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("trigger " + sync + ": " + r.statusCode() + " " + r.body());
    }
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }
}
