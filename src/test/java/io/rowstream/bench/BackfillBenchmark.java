package io.rowstream.bench;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import io.rowstream.testing.KinesisEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Rows/s of a Rowstream backfill into kinesalite, against a plain synchronous PutRecords loop of
 * the same records (500 a request) in the same run, with the same concurrency: as many looping
 * threads as the producer keeps requests in flight. Each side gets a fresh kinesalite (it slows as
 * its store fills, which would handicap whichever ran second). The streams have 32 shards, so the
 * producer's per-shard pacing (32,000 records/s) is well above what kinesalite takes (~15,000
 * records/s on two cores) and both sides meet the same limit; with 16 the pace (16,000 records/s,
 * what such a stream really allows) would be the limit, not Rowstream's work. Usage:
 * BackfillBenchmark ROWS [SHARDS]
 */
public final class BackfillBenchmark {
  private static final int THREADS = ProducerSettings.DEFAULT_MAX_IN_FLIGHT;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int shards = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path dir = Files.createTempDirectory("rowstream-backfill-bench");
    CustomersModel.create(dir, rows);
    double plain = plainLoop(rows, shards);
    System.gc();
    double rowstream = rowstreamRun(dir, rows, shards);
    System.out.printf(
        "%d cores, %s | rows %,d, %d shards | plain PutRecords loop, %d threads %.2fs (%,.0f rows/s) "
            + "| rowstream run (query, plan, send with %d in flight, commit) %.2fs (%,.0f rows/s) | ratio %.2f%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        rows,
        shards,
        THREADS,
        plain,
        rows / plain,
        THREADS,
        rowstream,
        rows / rowstream,
        (rows / rowstream) / (rows / plain));
  }

  /** Seconds the loop takes, on an emulator of its own: kinesalite slows as its store fills. */
  private static double plainLoop(int rows, int shards) throws Exception {
    // The same records Rowstream sends: the row's JSON, keyed by id.
    List<PutRecordsRequestEntry> entries = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      String json =
          "{\"id\":"
              + i
              + ",\"name\":\"customer "
              + i
              + "\",\"email\":\"c"
              + i
              + "@example.com\",\"balance\":"
              + new java.math.BigDecimal(i)
                  .multiply(new java.math.BigDecimal("1.25"))
                  .setScale(2)
                  .toPlainString()
              + "}";
      entries.add(
          PutRecordsRequestEntry.builder()
              .partitionKey(Integer.toString(i))
              .data(SdkBytes.fromString(json, StandardCharsets.UTF_8))
              .build());
    }
    try (KinesisEmulator kinesis = KinesisEmulator.kinesalite()) {
      kinesis.createStream("plain", shards);
      KinesisClient client = kinesis.client();
      long t0 = System.nanoTime();
      AtomicLong failed = new AtomicLong();
      AtomicInteger nextBatch = new AtomicInteger();
      ExecutorService loops = Executors.newFixedThreadPool(THREADS);
      for (int t = 0; t < THREADS; t++) {
        loops.execute(
            () -> {
              for (int from = nextBatch.getAndIncrement() * 500;
                  from < rows;
                  from = nextBatch.getAndIncrement() * 500) {
                PutRecordsResponse r =
                    client.putRecords(
                        PutRecordsRequest.builder()
                            .streamName("plain")
                            .records(entries.subList(from, Math.min(rows, from + 500)))
                            .build());
                failed.addAndGet(r.failedRecordCount());
              }
            });
      }
      loops.shutdown();
      loops.awaitTermination(1, TimeUnit.HOURS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (failed.get() != 0) {
        throw new IllegalStateException("the plain loop had " + failed.get() + " records refused");
      }
      return seconds;
    }
  }

  /** Seconds a whole Rowstream run of the model takes, on an emulator of its own. */
  private static double rowstreamRun(Path dir, int rows, int shards) throws Exception {
    try (KinesisEmulator kinesis = KinesisEmulator.kinesalite()) {
      kinesis.createStream("rowstream", shards);
      RowstreamConfig config = CustomersModel.config(dir, kinesis.endpoint(), "rowstream");
      long t0 = System.nanoTime();
      RunSummary summary =
          new SyncRunner(config, KinesisDestination::connect).run("c", SyncRunner.newTally());
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (summary.sent() != rows) {
        throw new IllegalStateException(summary.toJson().toString());
      }
      return seconds;
    }
  }
}
