package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.schedule.ScheduledRun;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./bench/run serve [SECONDS]}: 100 syncs on {@code every 1m} against a simulated stream
 * (each its own 100-row DuckDB model): the idle service's CPU (every sync paused), then, with the
 * syncs running, trigger-to-start latency and {@code GET /api/v1/runs/{id}} latency under 50
 * concurrent clients.
 *
 * <p>Trigger-to-start is from the trigger (a scheduled run's due time; for a run asked through the
 * API, when the client sent the POST) to the start the run itself records (its {@code started_at}):
 * it holds every wait, for a run slot, for the sync's previous run, for the run's thread. Runs of
 * every trigger count, and runs still queued at the end count with their wait so far.
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
      Duration loadFor = Duration.ofSeconds(Math.min(20, seconds / 3));
      ApiTriggers triggers = ApiTriggers.start(busy.port(), loadFor);
      List<Long> api = apiLoad(busy, loadFor);
      Map<String, Instant> asked = triggers.await();
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      Instant now = Instant.now();
      List<Long> starts = new ArrayList<>();
      List<Long> askedStarts = new ArrayList<>();
      List<Long> durations = new ArrayList<>();
      long runs = 0;
      long failed = 0;
      long waiting = 0;
      for (int i = 0; i < SYNCS; i++) {
        for (ScheduledRun run : busy.scheduler().runsOf("sync_" + i)) {
          Instant from = asked.getOrDefault(run.runId(), run.due());
          List<Long> into = asked.containsKey(run.runId()) ? askedStarts : starts;
          if (run.startedAt().isEmpty()) {
            if (run.state() == ScheduledRun.State.QUEUED) {
              waiting++;
              into.add(micros(from, now)); // still waiting: counts with its wait so far
            }
            continue;
          }
          // the start the run itself recorded (its started_at, ms), after the hand-off to its
          // thread
          Instant started =
              run.summary()
                  .map(x -> Instant.parse(x.startedAt()))
                  .filter(t -> !t.isBefore(run.startedAt().get().truncatedTo(ChronoUnit.MILLIS)))
                  .orElse(run.startedAt().get());
          into.add(micros(from.truncatedTo(ChronoUnit.MILLIS), started));
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
        }
      }
      List<String> stored =
          knownRuns(busy).stream()
              .filter(id -> busy.scheduler().find(id).flatMap(ScheduledRun::startedAt).isPresent())
              .toList();
      busy.stop(Duration.ofSeconds(20), "bench");
      // after a restart (every sync paused: no runs) each run is read from its sync's history;
      // an unknown id is looked for in every history, as every lookup once was
      RowstreamServer restarted =
          RowstreamServer.start(
              config(dir, sink, true), KinesisDestination::connect, Clock.systemUTC());
      List<Long> storedLookups = apiLoad(restarted, stored, 200, Duration.ofSeconds(10));
      List<Long> unknownLookups =
          apiLoad(
              restarted,
              List.of("20200101T000000Z-abcdef", "20200101T000001Z-1"),
              404,
              Duration.ofSeconds(10));
      restarted.stop(Duration.ofSeconds(5), "bench");
      System.out.printf(
          "runs in %d s: %d (%d failed), %d still queued at the end, %d records stored by the sink%n",
          seconds, runs, failed, waiting, sink.counts().stored());
      report("run duration", durations);
      report("trigger-to-start (scheduled: due time to the run's started_at)", starts);
      report("trigger-to-start (API: POST sent to the run's started_at)", askedStarts);
      report("GET /api/v1/runs/{id}, " + CLIENTS + " clients", api);
      report("GET /api/v1/runs/{id} after a restart (stored runs), idle service", storedLookups);
      report("GET /api/v1/runs/{id} of an unknown run (404), idle service", unknownLookups);
    }
  }

  private static long micros(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toNanos() / 1_000);
  }

  /**
   * One client asking for a run of a random sync every 500 ms through {@code POST
   * /api/v1/syncs/{sync}/runs}, while the scheduled runs and the 50 pollers go on: when each
   * request was sent, by run id.
   */
  private record ApiTriggers(Thread thread, Map<String, Instant> sent) {
    static ApiTriggers start(int port, Duration length) {
      Map<String, Instant> sent = new ConcurrentHashMap<>();
      Thread t =
          new Thread(
              () -> {
                HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long until = System.nanoTime() + length.toNanos();
                try {
                  while (System.nanoTime() < until) {
                    String sync = "sync_" + ThreadLocalRandom.current().nextInt(SYNCS);
                    HttpRequest request =
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:" + port + "/api/v1/syncs/" + sync + "/runs"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build();
                    Instant at = Instant.now();
                    HttpResponse<String> r =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]+)\"")
                            .matcher(r.body());
                    if (r.statusCode() == 202 && m.find()) {
                      sent.putIfAbsent(m.group(1), at);
                    } else {
                      System.out.println("API trigger refused: " + r.statusCode() + " " + r.body());
                    }
                    Thread.sleep(500);
                  }
                } catch (Exception e) {
                  System.out.println("API triggers stopped: " + e);
                }
              });
      t.setDaemon(true);
      t.start();
      return new ApiTriggers(t, sent);
    }

    Map<String, Instant> await() throws InterruptedException {
      thread.join();
      return sent;
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
    return apiLoad(server, knownRuns(server), 200, length);
  }

  private static List<String> knownRuns(RowstreamServer server) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SYNCS; i++) {
      server.scheduler().runsOf("sync_" + i).forEach(r -> ids.add(r.runId()));
    }
    return ids;
  }

  /** 50 clients asking for runs {@code ids}, each answer expected with {@code status}. */
  private static List<Long> apiLoad(
      RowstreamServer server, List<String> ids, int status, Duration length)
      throws InterruptedException {
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
                    if (r.statusCode() != status) {
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
    List<String> slowest = new ArrayList<>();
    for (int i = 0; i < SYNCS; i++) {
      for (ScheduledRun run : scheduler.runsOf("sync_" + i)) {
        run.startedAt()
            .ifPresent(
                at -> {
                  long waited = Duration.between(run.due(), at).toNanos() / 1_000;
                  starts.add(waited);
                  if (waited > 100_000) {
                    slowest.add(
                        run.sync() + " due " + run.due() + " waited " + waited / 1000 + " ms");
                  }
                });
      }
    }
    slowest.forEach(x -> System.out.println("over 100 ms: " + x));
    scheduler.shutdown(Duration.ofSeconds(5), "bench");
    report("scheduler alone, 100 syncs on every 1m, 50 ms runs: trigger-to-start", starts);
  }
}
