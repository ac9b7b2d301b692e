package io.rowstream.bench;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.Secret;
import io.rowstream.delivery.CallLog;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.Producer;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.testing.FaultProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained PutRecords throughput of the producer against a backend-less stream of N simulated
 * shards that throttles each shard to Kinesis' limits (1,000 records/s, 1 MiB/s, one second of
 * burst), through the real SDK client over loopback HTTP. Sends capacity x (warm-up + window +
 * drain) records and measures the records acknowledged in the window: after the warm-up, and before
 * the last two seconds' worth, when shards that got fewer records have finished and idle. Usage:
 * ThroughputBenchmark [WINDOW_SECONDS [SHARDS RECORD_BYTES]]
 */
public final class ThroughputBenchmark {
  private static final int WARM_UP_SECONDS = 3;
  private static final int DRAIN_SECONDS = 2;

  public static void main(String[] args) throws Exception {
    int window = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    if (args.length > 2) {
      run(
          Integer.parseInt(args[1]),
          Integer.parseInt(args[2]),
          window,
          false,
          Duration.ofSeconds(1));
      return;
    }
    System.out.printf(
        "%d cores, %s %s, heap max %d MiB, window %d s after %d s warm-up%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        window,
        WARM_UP_SECONDS);
    for (int shards : new int[] {4, 16}) {
      for (int size : new int[] {200, 50 * 1024}) {
        run(shards, size, window, false, Duration.ofSeconds(1));
      }
    }
    // a stricter stream: a tenth of a second of burst, as tight as the producer's own pacing
    run(16, 200, window, false, Duration.ofMillis(100));
    // without kinesis:ListShards the producer cannot pace shards; it adapts stream-wide (AIMD)
    run(16, 200, window, true, Duration.ofSeconds(1));
  }

  /** A destination at the endpoint with static dummy keys (the sink checks no signature). */
  static DestinationConfig destination(String endpoint) {
    DestinationConfig.Credentials keys =
        new DestinationConfig.Credentials(
            Optional.of("bench"),
            Optional.of(new Secret("bench")),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new DestinationConfig(
        "bench", "us-east-1", Optional.of(URI.create(endpoint)), Optional.of(keys));
  }

  private static void run(int shards, int size, int window, boolean denyListShards, Duration burst)
      throws Exception {
    try (FaultProxy sink = FaultProxy.sink(shards);
        KinesisDestination destination = KinesisDestination.connect(destination(sink.endpoint()))) {
      sink.throttle(
          new FaultProxy.Throttle(
              FaultProxy.evenShards(shards),
              ProducerSettings.SHARD_RECORDS_PER_SECOND,
              ProducerSettings.SHARD_BYTES_PER_SECOND,
              burst));
      if (denyListShards) {
        sink.faults(FaultProxy.Faults.none().denyingListShards());
      }
      String key0 = "100000";
      double perShard =
          Math.min(
              ProducerSettings.SHARD_RECORDS_PER_SECOND,
              (double) ProducerSettings.SHARD_BYTES_PER_SECOND / (size + key0.length()));
      double capacity = perShard * shards;
      long total = (long) (capacity * (WARM_UP_SECONDS + window + DRAIN_SECONDS));
      long warm = (long) (capacity * WARM_UP_SECONDS);
      long end = total - (long) (capacity * DRAIN_SECONDS);
      AtomicLong acked = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      long[] marks = new long[2];
      Producer.Listener<Long> listener =
          new Producer.Listener<>() {
            @Override
            public void acknowledged(List<Long> tags, List<EntryResult> results) {
              long before = acked.getAndAdd(tags.size());
              long after = before + tags.size();
              long now = System.nanoTime();
              if (before < warm && after >= warm) {
                marks[0] = now;
              }
              if (before < end && after >= end) {
                marks[1] = now;
              }
            }

            @Override
            public void rejected(Long tag, String errorCode, String message) {
              rejected.incrementAndGet();
            }
          };
      byte[] pad = new byte[size];
      Arrays.fill(pad, (byte) 'x');
      long t0 = System.nanoTime();
      try (Producer<Long> producer =
          new Producer<>(
              destination,
              "bench",
              ProducerSettings.defaults(),
              listener,
              String::valueOf,
              CallLog.NONE)) {
        for (long i = 0; i < total; i++) {
          String key = Long.toString(100_000 + i);
          byte[] data = pad.clone();
          byte[] id = ("{\"id\":" + key + ",\"p\":\"").getBytes(StandardCharsets.UTF_8);
          System.arraycopy(id, 0, data, 0, id.length);
          data[size - 2] = '"';
          data[size - 1] = '}';
          producer.submit(new OutboundRecord(data, key, Optional.empty()), i);
        }
        producer.finish();
      }
      double seconds = (marks[1] - marks[0]) / 1e9;
      double rate = (end - warm) / seconds;
      FaultProxy.Counts counts = sink.counts();
      System.out.printf(
          "shards %2d%s, stream burst %.1f s | record %,6d B | capacity %,8.0f rec/s | sent %,9d in %.1f s | sustained %,8.0f "
              + "rec/s = %5.1f%% of capacity | throttled %.2f%% of %,d entries sent | rejected %d%n",
          shards,
          denyListShards ? " (ListShards denied: stream-wide AIMD)" : "",
          burst.toMillis() / 1000.0,
          size,
          capacity,
          total,
          (System.nanoTime() - t0) / 1e9,
          rate,
          100 * rate / capacity,
          100.0 * counts.throttled() / counts.entries(),
          counts.entries(),
          rejected.get());
    }
  }
}
