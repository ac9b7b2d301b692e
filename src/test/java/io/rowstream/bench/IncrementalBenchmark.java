package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import io.rowstream.run.SyncRunner;
import io.rowstream.testing.FaultProxy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An incremental run of a large DuckDB model: a first run records the baseline ({@code
 * initial_sync: skip}), 1% of the rows change, and a real run delivers them to N simulated shards
 * throttled to Kinesis' limits (1,000 records/s each). The figure is the run's wall time over the
 * time the shards physically need for its records (records / (N x 1,000) s): what planning and
 * committing add to sending. Run with -Xmx512m. Usage: IncrementalBenchmark ROWS SHARDS
 */
public final class IncrementalBenchmark {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int shards = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path dir = Files.createTempDirectory("rowstream-incremental");
    try (FaultProxy sink = FaultProxy.sink(shards)) {
      CustomersModel.create(dir, rows);
      Files.writeString(
          dir.resolve("rowstream.yaml"),
          """
          sources: {m: {type: duckdb, path: model.duckdb}}
          destinations:
            k: {type: kinesis, region: us-east-1, endpoint: "%s", credentials: {access_key_id: a, secret_access_key: b}}
          syncs:
            c: {source: m, table: customers, primary_key: id, destination: k, stream: sink, initial_sync: skip}
          """
              .formatted(sink.endpoint()));
      RowstreamConfig config =
          ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
      SyncRunner runner = new SyncRunner(config, KinesisDestination::connect);

      long t0 = System.nanoTime();
      RunSummary baseline = runner.run("c", SyncRunner.newTally());
      double baselineS = (System.nanoTime() - t0) / 1e9;
      if (baseline.status() != RunSummary.Status.SUCCEEDED) {
        throw new IllegalStateException(baseline.toJson().toString());
      }
      try (Connection c =
              DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
          Statement s = c.createStatement()) {
        s.execute("update customers set name = name || ' changed' where id % 100 = 0");
      }
      sink.resetCounts();

      RunTally tally = SyncRunner.newTally();
      AtomicLong liveAfterGc = new AtomicLong();
      AtomicLong firstPut = new AtomicLong();
      AtomicLong sendingAt = new AtomicLong();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  if (firstPut.get() == 0 && sink.counts().putCalls() > 0) {
                    firstPut.set(System.nanoTime());
                  }
                  if (sendingAt.get() == 0 && tally.phase() == RunTally.Phase.SENDING) {
                    sendingAt.set(System.nanoTime());
                  }
                  long live = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                      live += pool.getCollectionUsage().getUsed();
                    }
                  }
                  liveAfterGc.accumulateAndGet(live, Math::max);
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      t0 = System.nanoTime();
      RunSummary summary = runner.run("c", tally);
      double wall = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      sampler.join();
      if (summary.status() != RunSummary.Status.SUCCEEDED) {
        throw new IllegalStateException(summary.toJson().toString());
      }
      long records = tally.sent();
      double physical = records / (shards * 1_000.0);
      FaultProxy.Counts counts = sink.counts();
      System.out.printf(
          "%d cores, %s, heap max %d MiB, load %.2f | rows %,d, baseline run %.1f s | "
              + "%,d records (%,d stored) to %d simulated shards | wall %.2f s, physical %.2f s, "
              + "wall / physical %.3f | first PutRecords after %.2f s, sending phase from %.2f s | "
              + "throttled %.2f%% | heap live after GC at most %d MiB%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          rows,
          baselineS,
          records,
          counts.stored(),
          shards,
          wall,
          physical,
          wall / physical,
          firstPut.get() == 0 ? Double.NaN : (firstPut.get() - t0) / 1e9,
          sendingAt.get() == 0 ? Double.NaN : (sendingAt.get() - t0) / 1e9,
          counts.entries() == 0 ? 0.0 : 100.0 * counts.throttled() / counts.entries(),
          liveAfterGc.get() >> 20);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
