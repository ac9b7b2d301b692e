package io.rowstream.bench;

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
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole Rowstream backfill (query, plan, send, commit) of a large DuckDB model into a
 * backend-less stream of N simulated shards throttled to Kinesis' limits; run with a capped heap
 * (-Xmx512m) to show that memory stays bounded. Usage: SinkBackfillBenchmark ROWS SHARDS
 */
public final class SinkBackfillBenchmark {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int shards = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Path dir = Files.createTempDirectory("rowstream-sink-backfill");
    try (FaultProxy sink = FaultProxy.sink(shards)) {
      CustomersModel.create(dir, rows);
      RowstreamConfig config = CustomersModel.config(dir, sink.endpoint(), "sink");
      AtomicLong liveAfterGc = new AtomicLong();
      RunTally tally = SyncRunner.newTally();
      long[] phaseStarts = new long[RunTally.Phase.values().length];
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  int phase = tally.phase().ordinal();
                  if (phaseStarts[phase] == 0) {
                    phaseStarts[phase] = System.nanoTime();
                  }
                  long live = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                      live += pool.getCollectionUsage().getUsed();
                    }
                  }
                  liveAfterGc.accumulateAndGet(live, Math::max);
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      RunSummary summary;
      String outcome;
      try {
        summary = new SyncRunner(config, KinesisDestination::connect).run("c", tally);
        outcome = summary.status().label() + summary.error().map(e -> " (" + e + ")").orElse("");
      } catch (RuntimeException e) {
        outcome = "failed after sending: " + e.getMessage().lines().findFirst().orElse("");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      sampler.join();
      long sending = phaseStarts[RunTally.Phase.SENDING.ordinal()];
      long committing = phaseStarts[RunTally.Phase.COMMITTING.ordinal()];
      double sendSeconds =
          sending == 0 || committing == 0 ? Double.NaN : (committing - sending) / 1e9;
      FaultProxy.Counts counts = sink.counts();
      System.out.printf(
          "%d cores, %s, heap max %d MiB | rows %,d into %d simulated shards (capacity %,d rec/s) | "
              + "run %s, %.1f s in all (%,.0f rows/s end to end), sending %.1f s (%,.0f rows/s acknowledged) | stored %,d, "
              + "throttled %.2f%% of %,d entries | heap live after GC at most %d MiB%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20,
          rows,
          shards,
          shards * 1_000L,
          outcome,
          seconds,
          rows / seconds,
          sendSeconds,
          tally.sent() / sendSeconds,
          counts.stored(),
          100.0 * counts.throttled() / counts.entries(),
          counts.entries(),
          liveAfterGc.get() >> 20);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
