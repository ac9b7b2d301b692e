package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import io.rowstream.testing.KinesisEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
 * threads as the producer keeps requests in flight. The streams have 16 shards, so the producer's
 * per-shard pacing (16,000 records/s) is above what kinesalite takes (~10,000 records/s) and both
 * measure the same limit. Usage: BackfillBenchmark ROWS
 */
public final class BackfillBenchmark {
  private static final int SHARDS = 16;
  private static final int THREADS = ProducerSettings.DEFAULT_MAX_IN_FLIGHT;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("rowstream-backfill-bench");
    try (KinesisEmulator kinesis = KinesisEmulator.kinesalite()) {
      kinesis.createStream("plain", SHARDS);
      kinesis.createStream("rowstream", SHARDS);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
          Statement s = c.createStatement()) {
        s.execute("create table customers as select i as id, 'customer ' || i as name, 'c' || i || '@example.com' "
            + "as email, cast(i * 1.25 as decimal(12,2)) as balance from range(" + rows + ") t(i)");
      }
      Files.writeString(dir.resolve("rowstream.yaml"), """
          sources: {m: {type: duckdb, path: model.duckdb}}
          destinations:
            k: {type: kinesis, region: us-east-1, endpoint: "%s", credentials: {access_key_id: a, secret_access_key: b}}
          syncs:
            c: {source: m, table: customers, primary_key: id, destination: k, stream: rowstream}
          """.formatted(kinesis.endpoint()));
      RowstreamConfig config = ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();

      // The same records Rowstream sends: the row's JSON, keyed by id.
      List<PutRecordsRequestEntry> entries = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        String json = "{\"id\":" + i + ",\"name\":\"customer " + i + "\",\"email\":\"c" + i + "@example.com\",\"balance\":"
            + new java.math.BigDecimal(i).multiply(new java.math.BigDecimal("1.25")).setScale(2).toPlainString() + "}";
        entries.add(PutRecordsRequestEntry.builder().partitionKey(Integer.toString(i))
            .data(SdkBytes.fromString(json, StandardCharsets.UTF_8)).build());
      }
      KinesisClient client = kinesis.client();
      long t0 = System.nanoTime();
      AtomicLong failedCount = new AtomicLong();
      AtomicInteger nextBatch = new AtomicInteger();
      ExecutorService loops = Executors.newFixedThreadPool(THREADS);
      for (int t = 0; t < THREADS; t++) {
        loops.execute(() -> {
          for (int from = nextBatch.getAndIncrement() * 500; from < rows; from = nextBatch.getAndIncrement() * 500) {
            PutRecordsResponse r = client.putRecords(PutRecordsRequest.builder().streamName("plain")
                .records(entries.subList(from, Math.min(rows, from + 500))).build());
            failedCount.addAndGet(r.failedRecordCount());
          }
        });
      }
      loops.shutdown();
      loops.awaitTermination(1, TimeUnit.HOURS);
      double plain = (System.nanoTime() - t0) / 1e9;
      long failed = failedCount.get();

      t0 = System.nanoTime();
      RunSummary summary = new SyncRunner(config, KinesisDestination::connect).run("c", SyncRunner.newTally());
      double rowstream = (System.nanoTime() - t0) / 1e9;
      if (summary.sent() != rows || failed != 0) {
        throw new IllegalStateException(summary.toJson() + " plain failed " + failed);
      }
      System.out.printf("%d cores, %s | rows %,d, %d shards | plain PutRecords loop, %d threads %.2fs (%,.0f rows/s) "
              + "| rowstream run (query, plan, send with %d in flight, commit) %.2fs (%,.0f rows/s) | ratio %.2f%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rows, SHARDS, THREADS,
          plain, rows / plain, THREADS,
          rowstream, rows / rowstream, (rows / rowstream) / (rows / plain));
    }
  }
}
