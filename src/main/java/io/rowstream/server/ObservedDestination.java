package io.rowstream.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.CallContext;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.ForwardingDestination;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination whose PutRecords calls are measured: latency, records stored per shard (their rate
 * is the records/s paced per shard), entries throttled, entries and calls that will be retried;
 * throttling and retries are logged as warnings, at most every 30 s per sync. Every other call
 * passes through unmeasured.
 */
final class ObservedDestination extends ForwardingDestination {
  private static final Logger LOG = LoggerFactory.getLogger("io.rowstream.delivery");
  private static final String THROTTLED = "ProvisionedThroughputExceededException";
  private static final long WARN_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

  private final String sync;
  private final MeterRegistry registry;
  private final Timer latency;
  private final Counter throttled;
  private final Counter retried;
  private final Counter failedCalls;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  ObservedDestination(String sync, Destination inner, MeterRegistry registry) {
    super(inner);
    this.sync = sync;
    this.registry = registry;
    this.latency =
        Timer.builder("rowstream.put.records")
            .description("PutRecords latency")
            .tag("sync", sync)
            .publishPercentileHistogram()
            .register(registry);
    this.throttled =
        Counter.builder("rowstream.throttled.entries")
            .description(
                "records Kinesis throttled (ProvisionedThroughputExceeded); they are retried")
            .tag("sync", sync)
            .register(registry);
    this.retried =
        Counter.builder("rowstream.retried.entries")
            .description("records sent again after a failed entry or a failed call")
            .tag("sync", sync)
            .register(registry);
    this.failedCalls =
        Counter.builder("rowstream.put.records.failures")
            .description("PutRecords calls that failed as a whole")
            .tag("sync", sync)
            .register(registry);
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records, CallContext context) {
    long start = System.nanoTime();
    PutResult result;
    try {
      result = super.putRecords(stream, records, context);
    } catch (RuntimeException e) {
      latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      failedCalls.increment();
      if (e instanceof RowstreamException r && r.kind() == RowstreamException.Kind.RETRYABLE) {
        retried.increment(records.size());
        warn(
            "a PutRecords call of {} records failed and is retried: {}",
            records.size(),
            e.getMessage());
      }
      throw e;
    }
    latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    Map<String, Integer> perShard = new HashMap<>();
    int throttledHere = 0;
    int failedHere = 0;
    for (EntryResult entry : result.entries()) {
      if (entry.ok()) {
        perShard.merge(entry.shardId() == null ? "unknown" : entry.shardId(), 1, Integer::sum);
      } else {
        failedHere++;
        if (THROTTLED.equals(entry.errorCode())) {
          throttledHere++;
        }
      }
    }
    perShard.forEach(
        (shard, n) ->
            Counter.builder("rowstream.shard.records")
                .description("records stored per shard; rate() gives the records/s paced per shard")
                .tags("sync", sync, "shard", shard)
                .register(registry)
                .increment(n));
    if (failedHere > 0) {
      throttled.increment(throttledHere);
      retried.increment(failedHere);
      warn(
          "{} of {} records were refused ({} throttled) and are retried",
          failedHere,
          records.size(),
          throttledHere);
    }
    return result;
  }

  private void warn(String format, Object... args) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      Object[] all = new Object[args.length + 1];
      all[0] = sync;
      System.arraycopy(args, 0, all, 1, args.length);
      LOG.warn("sync {}: " + format, all);
    }
  }
}
