package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import io.rowstream.store.synclog.LoadResult;
import io.rowstream.store.synclog.SyncLogLoader;
import io.rowstream.store.synclog.SyncLogSpool;
import io.rowstream.testing.FaultProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cost of a sync log next to the run it logs: a backfill of ROWS rows into simulated shards
 * without a sync log (the baseline), the same backfill spooling its log (left pending: the log's
 * user may not create the schema yet), then the pending log written to embedded PostgreSQL with
 * COPY, and the same spool written to a DuckDB file with the appender. Usage: SyncLogBenchmark ROWS
 */
public final class SyncLogBenchmark {
  private static final int SHARDS = 128;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("rowstream-synclog-bench");
    try (FaultProxy sink = FaultProxy.sink(SHARDS);
        EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create role logger login password 'logger'");
      }
      CustomersModel.create(dir, rows);
      Files.writeString(
          dir.resolve("rowstream.yaml"),
          """
          sources:
            m: {type: duckdb, path: model.duckdb}
            audit: {type: postgres, url: "jdbc:postgresql://127.0.0.1:%d/postgres", user: logger, password: logger}
            duck: {type: duckdb, path: audit.duckdb}
          destinations:
            k: {type: kinesis, region: us-east-1, endpoint: "%s", credentials: {access_key_id: a, secret_access_key: b}}
          syncs:
            plain: {source: m, table: customers, primary_key: id, destination: k, stream: sink}
            logged: {source: m, table: customers, primary_key: id, destination: k, stream: sink, sync_log: {source: audit}}
          """
              .formatted(pg.getPort(), sink.endpoint()));
      RowstreamConfig config =
          ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
      SyncRunner runner = new SyncRunner(config, KinesisDestination::connect);

      // the first run warms the JIT up; the baseline is a full resync of the same rows before and
      // after the logged run (the machine is shared: the two show the noise)
      runner.run("plain", SyncRunner.newTally());
      long t0 = System.nanoTime();
      RunSummary plain = runner.run("plain", SyncRunner.newTally(), RunOptions.FULL_RESYNC);
      double plainBefore = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      RunSummary logged = runner.run("logged", SyncRunner.newTally());
      double loggedSeconds = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      runner.run("plain", SyncRunner.newTally(), RunOptions.FULL_RESYNC);
      double plainAfter = (System.nanoTime() - t0) / 1e9;
      double plainSeconds = (plainBefore + plainAfter) / 2;

      Path spools = config.stateDir().resolve(SyncLogSpool.FOLDER);
      Path copies = Files.createDirectories(dir.resolve("spool-copies"));
      long spoolBytes = 0;
      for (Path f : list(spools)) {
        spoolBytes += Files.size(f);
        Files.copy(f, copies.resolve(f.getFileName()));
      }
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("grant create on database postgres to logger");
      }
      SyncLogLoader loader =
          new SyncLogLoader(
              config.stateDir(),
              name -> Optional.ofNullable(config.sources().get(name)),
              config.redactor());
      t0 = System.nanoTime();
      List<LoadResult> copied = loader.loadPending();
      double copySeconds = (System.nanoTime() - t0) / 1e9;

      for (Path f : list(copies)) {
        String name = f.getFileName().toString();
        String text = Files.readString(f);
        Files.writeString(
            spools.resolve(name),
            name.endsWith(".run.json")
                ? text.replace("\"source\":\"audit\"", "\"source\":\"duck\"")
                : text);
      }
      t0 = System.nanoTime();
      List<LoadResult> appended = loader.loadPending();
      double appendSeconds = (System.nanoTime() - t0) / 1e9;

      System.out.printf(
          "%d cores, %s, heap max %d MiB | %,d rows into %d simulated shards%n"
              + "  run without sync log (a full resync before and after): %s in %.1f s (%.1f s, %.1f s)%n"
              + "  run spooling its log: %s in %.1f s (+%.1f%%; log %s, spool %.0f MiB)%n"
              + "  PostgreSQL COPY of the log: %s in %.1f s = %.2fx the run without log (%,.0f events/s)%n"
              + "  DuckDB appender of the log: %s in %.1f s = %.2fx the run without log (%,.0f events/s)%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20,
          rows,
          SHARDS,
          plain.status().label(),
          plainSeconds,
          plainBefore,
          plainAfter,
          logged.status().label(),
          loggedSeconds,
          100 * (loggedSeconds - plainSeconds) / plainSeconds,
          logged.syncLog().map(l -> l.status().label()).orElse("none"),
          spoolBytes / 1048576.0,
          describe(copied),
          copySeconds,
          copySeconds / plainSeconds,
          events(copied) / copySeconds,
          describe(appended),
          appendSeconds,
          appendSeconds / plainSeconds,
          events(appended) / appendSeconds);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<Path> list(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  private static long events(List<LoadResult> results) {
    return results.stream().mapToLong(LoadResult::events).sum();
  }

  private static String describe(List<LoadResult> results) {
    return results.stream()
        .map(r -> r.written() ? r.events() + " events written" : "failed: " + r.error().orElse(""))
        .reduce((a, b) -> a + "; " + b)
        .orElse("nothing pending");
  }
}
