package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Trigger;
import io.rowstream.server.RowstreamServer;
import io.rowstream.testing.FaultProxy;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./bench/run serve [SECONDS]}: 100 syncs on {@code every 1m} against a simulated stream
 * (each its own 100-row DuckDB model): the idle service's CPU (every sync paused), then, with the
 * syncs running, trigger-to-start latency of scheduled runs and {@code GET /api/v1/runs/{id}}
 * latency under 50 concurrent clients.
 */
public final class ServeBenchmark {
  private static final int SYNCS = 100;
  private static final int CLIENTS = 50;
  private static final String TOKEN = "bench-token-0123456789abcdef";

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 75;
    if (args.length > 1 && args[1].equals("scheduler")) {
      schedulerOnly(seconds);
      return;
    }
    Path dir = Files.createTempDirectory("rowstream-serve-bench");
    try (FaultProxy sink = FaultProxy.sink(4)) {
      for (int i = 0; i < SYNCS; i++) {
        try (Connection c =
                DriverManager.getConnection(
                    "jdbc:duckdb:" + dir.resolve("model_" + i + ".duckdb"));
            Statement s = c.createStatement()) {
          s.execute(
              "create table customers as select i as id, 'customer ' || i as name from range(1, 101) t(i)");
        }
      }
      System.out.printf(
          "machine: %d cores, %s, Java %s%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("os.name") + " " + System.getProperty("os.arch"),
          System.getProperty("java.version"));

      RowstreamServer idle =
          RowstreamServer.start(
              config(dir, sink, true), KinesisDestination::connect, Clock.systemUTC());
      Thread.sleep(5_000);
      double idleCpu = cpuShare(Duration.ofSeconds(15));
      idle.stop(Duration.ofSeconds(5), "bench");
      System.out.printf(
          "idle service (100 syncs, all paused): %.2f%% of one core over 15 s%n", idleCpu * 100);

      RowstreamServer busy =
          RowstreamServer.start(
              config(dir, sink, false), KinesisDestination::connect, Clock.systemUTC());
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      Thread.sleep(Math.min(15_000, seconds * 1000L / 4));
      List<Long> api = apiLoad(busy, Duration.ofSeconds(Math.min(20, seconds / 3)));
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      List<Long> starts = new ArrayList<>();
      List<Long> durations = new ArrayList<>();
      long runs = 0;
      long failed = 0;
      for (int i = 0; i < SYNCS; i++) {
        for (ScheduledRun run : busy.scheduler().runsOf("sync_" + i)) {
          if (run.startedAt().isEmpty()) {
            continue;
          }
          runs++;
          run.summary()
              .ifPresent(
                  x ->
                      durations.add(
                          Duration.between(
                                      java.time.Instant.parse(x.startedAt()),
                                      java.time.Instant.parse(x.finishedAt()))
                                  .toNanos()
                              / 1_000));
          failed += run.status().equals("failed") ? 1 : 0;
          if (run.trigger() == Trigger.SCHEDULE) {
            starts.add(Duration.between(run.due(), run.startedAt().get()).toNanos() / 1_000);
          }
        }
      }
      busy.stop(Duration.ofSeconds(20), "bench");
      System.out.printf(
          "runs in %d s: %d (%d failed), %d records stored by the sink%n",
          seconds, runs, failed, sink.counts().stored());
      report("run duration", durations);
      report("trigger-to-start (scheduled runs)", starts);
      report("GET /api/v1/runs/{id}, " + CLIENTS + " clients", api);
    }
  }

  private static RowstreamConfig config(Path dir, FaultProxy sink, boolean paused)
      throws Exception {
    StringBuilder yaml = new StringBuilder("sources:\n");
    for (int i = 0; i < SYNCS; i++) {
      yaml.append("  model_")
          .append(i)
          .append(":\n    type: duckdb\n    path: model_")
          .append(i)
          .append(".duckdb\n");
    }
    yaml.append(
        """
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials:
              access_key_id: test
              secret_access_key: test-secret
        server:
          port: 0
          api_token: %s
          max_concurrent_runs: 4
        syncs:
        """
            .formatted(sink.endpoint(), TOKEN));
    for (int i = 0; i < SYNCS; i++) {
      yaml.append(
          """
            sync_%d:
              source: model_%d
              table: customers
              primary_key: id
              destination: kinesis
              stream: stream_%d
              schedule: every 1m
              paused: %s
          """
              .formatted(i, i, i, paused));
    }
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml.toString());
    return ConfigReader.read(file)
        .config()
        .orElseThrow(
            () -> new IllegalStateException(ConfigReader.read(file).problems().toString()));
  }

  private static double cpuShare(Duration window) throws InterruptedException {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(window.toMillis());
    return (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
  }

  /** 50 clients polling runs the service knows, for {@code length}; latencies in microseconds. */
  private static List<Long> apiLoad(RowstreamServer server, Duration length)
      throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SYNCS; i++) {
      server.scheduler().runsOf("sync_" + i).forEach(r -> ids.add(r.runId()));
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("no run yet to poll");
    }
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    long until = System.nanoTime() + length.toNanos();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      Thread t =
          new Thread(
              () -> {
                HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                try {
                  while (System.nanoTime() < until) {
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    HttpRequest request =
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:" + server.port() + "/api/v1/runs/" + id))
                            .header("Authorization", "Bearer " + TOKEN)
                            .GET()
                            .build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> r =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies.add((System.nanoTime() - t0) / 1_000);
                    if (r.statusCode() != 200) {
                      errors.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                } finally {
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    System.out.printf(
        "API: %d requests in %d s (%.0f/s), %d errors%n",
        latencies.size(),
        length.toSeconds(),
        latencies.size() / (double) length.toSeconds(),
        errors.get());
    return new ArrayList<>(latencies);
  }

  private static void report(String what, List<Long> micros) {
    if (micros.isEmpty()) {
      System.out.println(what + ": no samples");
      return;
    }
    Collections.sort(micros);
    System.out.printf(
        "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n",
        what,
        micros.size(),
        micros.get(micros.size() / 2) / 1000.0,
        micros.get((int) Math.min(micros.size() - 1, micros.size() * 0.99)) / 1000.0,
        micros.get(micros.size() - 1) / 1000.0);
  }

  /**
   * The scheduler alone, on the real clock: 100 syncs on every 1m whose runs take 50 ms (a launcher
   * that sleeps), so the latency measured is the scheduler's, not a busy machine's runs.
   */
  private static void schedulerOnly(int seconds) throws Exception {
    List<io.rowstream.config.SyncConfig> syncs = new ArrayList<>();
    for (int i = 0; i < SYNCS; i++) {
      syncs.add(
          new io.rowstream.config.SyncConfig(
              "sync_" + i,
              "src",
              "select 1",
              "id",
              "dest",
              "s",
              java.util.EnumSet.allOf(io.rowstream.core.EventType.class),
              new io.rowstream.config.MessageSpec(
                  io.rowstream.config.MessageSpec.Mode.TEMPLATE, "{}", null, java.util.Map.of()),
              java.util.Optional.empty(),
              java.util.Optional.empty(),
              io.rowstream.config.SyncConfig.InitialSync.BACKFILL,
              new io.rowstream.config.ScheduleSpec.Every(Duration.ofMinutes(1), "every 1m"),
              1024,
              false));
    }
    io.rowstream.schedule.Scheduler scheduler =
        new io.rowstream.schedule.Scheduler(
            Clock.systemUTC(),
            (sync, runId, tally, options) -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return io.rowstream.run.RunSummary.builder(
                      sync, runId, io.rowstream.run.RunSummary.Status.SUCCEEDED)
                  .startedAt("2026-01-01T00:00:00Z")
                  .finishedAt("2026-01-01T00:00:00Z")
                  .build();
            },
            io.rowstream.schedule.RunListener.NONE);
    scheduler.configure(syncs, 4, java.util.Map.of());
    scheduler.start();
    Thread.sleep(seconds * 1000L);
    List<Long> starts = new ArrayList<>();
    for (int i = 0; i < SYNCS; i++) {
      for (ScheduledRun run : scheduler.runsOf("sync_" + i)) {
        run.startedAt()
            .ifPresent(at -> starts.add(Duration.between(run.due(), at).toNanos() / 1_000));
      }
    }
    scheduler.shutdown(Duration.ofSeconds(5), "bench");
    report("scheduler alone, 100 syncs on every 1m, 50 ms runs: trigger-to-start", starts);
  }
}
