package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;

/**
 * Planning a DuckDB model with 1% of rows changed, against only reading the same query through
 * JDBC, in the same JVM (run it with -Xmx512m). A DuckDB file model plans in place (see
 * DuckDbState#stageInPlace). The load average is printed with each line: the machine may be shared.
 * Usage: PlanBenchmark ROWS [ROWS...]
 */
public final class PlanBenchmark {
  private static final String QUERY = "select * from customers";

  public static void main(String[] args) throws Exception {
    System.out.printf(
        "heap max %d MiB, %d cores, %s %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    for (String arg : args) {
      run(Integer.parseInt(arg));
    }
  }

  private static void run(int rows) throws Exception {
    Path dir = Files.createTempDirectory("rowstream-plan-bench");
    try {
      Path db = dir.resolve("model.duckdb");
      sql(
          db,
          "create table customers as select i as id, 'customer ' || i as name, 'c' || i || '@example.com' as email, "
              + "cast(i * 1.25 as decimal(12,2)) as balance, timestamp '2026-01-01' + to_seconds(i) as updated_at, "
              + "i % 2 = 0 as active from range("
              + rows
              + ") t(i)");
      Files.writeString(
          dir.resolve("rowstream.yaml"),
          """
          sources: {m: {type: duckdb, path: model.duckdb}}
          destinations: {k: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:1"}}
          syncs:
            c: {source: m, query: "%s", primary_key: id, destination: k, stream: s, initial_sync: skip}
          """
              .formatted(QUERY));
      RowstreamConfig config =
          ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
      SyncRunner runner =
          new SyncRunner(
              config,
              d -> {
                throw new IllegalStateException("the benchmark sends nothing");
              });
      long t0 = System.nanoTime();
      RunSummary baseline = runner.run("c", SyncRunner.newTally());
      double baselineS = (System.nanoTime() - t0) / 1e9;
      if (baseline.status() != RunSummary.Status.SUCCEEDED) {
        throw new IllegalStateException(baseline.toJson().toString());
      }
      sql(db, "update customers set name = name || ' changed' where id % 100 = 0");

      double read = 0;
      double plan = 0;
      long planned = 0;
      int rounds = 3;
      for (int round = 0; round < rounds; round++) {
        t0 = System.nanoTime();
        long read_rows = readOnly(db);
        read += (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        RunSummary p = runner.plan("c", SyncRunner.newTally());
        plan += (System.nanoTime() - t0) / 1e9;
        planned = p.counts(io.rowstream.core.EventType.CHANGED).planned();
        if (read_rows != rows || p.rowsQueried() != rows) {
          throw new IllegalStateException("row counts differ");
        }
      }
      read /= rounds;
      plan /= rounds;
      System.out.printf(
          "rows %,d | changed planned %,d | first run (baseline) %.2fs | JDBC read %.2fs (%,.0f rows/s) "
              + "| plan %.2fs (%,.0f rows/s) | plan/read %.2fx | heap used after %d MiB | load average %s%n",
          rows,
          planned,
          baselineS,
          read,
          rows / read,
          plan,
          rows / plan,
          plan / read,
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
          loadAverage());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The baseline: the same query through JDBC, every column read with getObject. */
  private static long readOnly(Path db) throws Exception {
    Properties props = new Properties();
    props.setProperty("duckdb.read_only", "true");
    props.setProperty("jdbc_stream_results", "true");
    long n = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db, props);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(QUERY)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
        n++;
      }
    }
    return n;
  }

  private static void sql(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
