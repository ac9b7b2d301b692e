package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Planners;
import io.rowstream.plan.PlanningStore;
import io.rowstream.state.DeliveredState;
import io.rowstream.store.SyncStore;
import io.rowstream.store.duckdb.DuckDbState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The measurement {@link PgPlanBenchmark} and {@link MariaPlanBenchmark} share: a model with 1% of
 * its rows changed, planned three ways in the same JVM (run it with -Xmx512m): inside the warehouse
 * ({@code planning: warehouse}), row by row in the local DuckDB state (today's planner for a
 * database model), and a plain JDBC read of the query (fetch size 10,000, every column read with
 * getObject). A plan here is what a run does before sending: fingerprint, diff, and read and encode
 * the rows to send. The delivered state of both planners is set up by a first run with initial_sync
 * skip (recordBaseline).
 */
final class WarehousePlanBench {
  private static final String QUERY = "select * from customers";

  /** What differs from one warehouse to another. */
  interface Dialect {
    /** The source type and user in rowstream.yaml, e.g. {@code postgres, user: postgres}. */
    String sourceKeys();

    /** Creates the model's table of {@code rows} rows. */
    List<String> createModel(int rows);

    /** Changes 1% of the rows and refreshes the statistics. */
    List<String> changeOnePercent();

    /** Opens the in-warehouse state of the sync to change it. */
    SyncStore open(SourceConfig source, String sync);

    /** A new connection to the model's database. */
    Connection connect() throws Exception;

    /** Before a streamed read on {@code c} (PostgreSQL streams only inside a transaction). */
    default void beforeRead(Connection c) throws Exception {}
  }

  private WarehousePlanBench() {}

  /** Prints the machine; the caller starts the server. */
  static void printMachine() {
    System.out.printf(
        "heap max %d MiB, %d cores, %s %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  /** Runs the benchmark in a new temporary folder, removed after. */
  static void run(Dialect dialect, String url, int rows, String dirPrefix) throws Exception {
    Path dir = Files.createTempDirectory(dirPrefix);
    try {
      run(dialect, url, dir, rows);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Dialect dialect, String url, Path dir, int rows) throws Exception {
    long t0 = System.nanoTime();
    sql(dialect, dialect.createModel(rows));
    System.out.printf("model of %,d rows created in %.1fs%n", rows, seconds(t0));

    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources:
          warehouse: {type: %3$s, url: "%1$s", planning: warehouse}
          local: {type: %3$s, url: "%1$s"}
        destinations: {k: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:1"}}
        syncs:
          w: {source: warehouse, query: "%2$s", primary_key: id, destination: k, stream: s}
          l: {source: local, query: "%2$s", primary_key: id, destination: k, stream: s}
        """
            .formatted(url, QUERY, dialect.sourceKeys()));
    RowstreamConfig config =
        ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
    SourceConfig warehouse = config.source("warehouse");
    SourceConfig local = config.source("local");
    SyncConfig sync = config.sync("w");

    t0 = System.nanoTime();
    try (SyncStore state = dialect.open(warehouse, "w")) {
      baseline(warehouse, sync, state);
    }
    System.out.printf("warehouse baseline (first run, initial_sync skip) %.1fs%n", seconds(t0));
    t0 = System.nanoTime();
    try (DuckDbState state = DuckDbState.open(dir, "l")) {
      baseline(local, sync, state);
    }
    System.out.printf("local baseline (first run, initial_sync skip) %.1fs%n", seconds(t0));

    sql(dialect, dialect.changeOnePercent());

    int rounds = rows >= 5_000_000 ? 1 : 3;
    double read = 0;
    double inWarehouse = 0;
    double rowByRow = 0;
    long sentWarehouse = 0;
    long sentLocal = 0;
    long peakHeap = 0;
    for (int round = 0; round < rounds; round++) {
      t0 = System.nanoTime();
      long n = readOnly(dialect);
      read += seconds(t0);
      if (n != rows) {
        throw new IllegalStateException("read " + n + " rows of " + rows);
      }
      t0 = System.nanoTime();
      sentWarehouse = timedPlan(warehouse, sync, rows, s -> dialect.open(s, "w"));
      inWarehouse += seconds(t0);
      peakHeap = Math.max(peakHeap, heapUsed());
      t0 = System.nanoTime();
      sentLocal = timedPlan(local, sync, rows, s -> DuckDbState.open(dir, "l"));
      rowByRow += seconds(t0);
      peakHeap = Math.max(peakHeap, heapUsed());
    }
    read /= rounds;
    inWarehouse /= rounds;
    rowByRow /= rounds;
    System.out.printf(
        "rows %,d | to send %,d (warehouse) %,d (local) | JDBC read %.2fs (%,.0f rows/s) "
            + "| in-warehouse plan %.2fs (%.2fx of the read) | row-by-row plan %.2fs (%.2fx) "
            + "| rounds %d | heap used at most %d MiB of %d | load average %s%n",
        rows,
        sentWarehouse,
        sentLocal,
        read,
        rows / read,
        inWarehouse,
        inWarehouse / read,
        rowByRow,
        rowByRow / read,
        rounds,
        peakHeap >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());
  }

  private static long timedPlan(
      SourceConfig source, SyncConfig sync, int rows, Function<SourceConfig, SyncStore> open) {
    try (SyncStore state = open.apply(source)) {
      return plan(source, sync, state, rows);
    }
  }

  private static <S extends DeliveredState & PlanningStore> void baseline(
      SourceConfig source, SyncConfig sync, S state) {
    Planners.forSync(source, sync, state).plan(columns -> {}, n -> {});
    state.adoptFingerprints();
    state.recordBaseline();
    state.markInitialized();
  }

  /** Plans and reads every planned event, as a run does before it sends; changes nothing. */
  private static <S extends DeliveredState & PlanningStore> long plan(
      SourceConfig source, SyncConfig sync, S state, int rows) {
    PlanCounts counts = Planners.forSync(source, sync, state).plan(columns -> {}, n -> {});
    if (counts.rowsQueried() != rows) {
      throw new IllegalStateException("planned " + counts + " for " + rows + " rows");
    }
    long events = 0;
    try (EventStream stream = state.events()) {
      while (stream.hasNext()) {
        stream.next();
        events++;
      }
    }
    return events;
  }

  private static long heapUsed() {
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The baseline: the query through JDBC, streamed, every column read with getObject. */
  private static long readOnly(Dialect dialect) throws Exception {
    long n = 0;
    try (Connection c = dialect.connect()) {
      dialect.beforeRead(c);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        try (ResultSet rs = s.executeQuery(QUERY)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              rs.getObject(i);
            }
            n++;
          }
        }
      }
    }
    return n;
  }

  private static void sql(Dialect dialect, List<String> statements) throws Exception {
    try (Connection c = dialect.connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
