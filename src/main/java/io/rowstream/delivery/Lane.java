package io.rowstream.delivery;

import java.util.Optional;

/**
 * The pace of one shard, or of the whole stream when its shards are unknown, in "shard units": one
 * unit is a shard's write limit. A shard lane starts at 1 unit and never exceeds it; throttling
 * halves it (once per cool-down, as several responses report the same congestion) and it recovers
 * additively. The stream-wide lane starts at 1 unit and doubles each second until the first
 * throttle (slow start), then grows by 1 unit a second and halves on throttling (AIMD). Not
 * thread-safe: the producer guards it.
 */
final class Lane {
  static final double DECREASE = 0.5;
  static final long COOL_DOWN_NANOS = 200_000_000L;
  static final double MIN_UNITS = 0.05;
  static final double SHARD_RECOVERY_PER_SECOND = 0.25;
  static final double STREAM_INCREASE_PER_SECOND = 1.0;
  static final double STREAM_MAX_UNITS = 100_000;

  private final Optional<String> shardId;
  private final double recordsPerUnit;
  private final double bytesPerUnit;
  private final double burstSeconds;
  private final double maxUnits;
  private final TokenBucket records;
  private final TokenBucket bytes;
  private double units = 1.0;
  private boolean slowStart;
  private long lastDecrease;
  private long lastIncrease;

  private Lane(
      Optional<String> shardId,
      ProducerSettings settings,
      double maxUnits,
      boolean slowStart,
      long now) {
    this.shardId = shardId;
    this.recordsPerUnit = settings.shardRecordsPerSecond();
    this.bytesPerUnit = settings.shardBytesPerSecond();
    this.burstSeconds = settings.burst().toNanos() / 1e9;
    this.maxUnits = maxUnits;
    this.slowStart = slowStart;
    this.records = new TokenBucket(recordsPerUnit, Math.max(1, recordsPerUnit * burstSeconds), now);
    this.bytes = new TokenBucket(bytesPerUnit, Math.max(1, bytesPerUnit * burstSeconds), now);
    this.lastDecrease = now - COOL_DOWN_NANOS;
    this.lastIncrease = now;
  }

  static Lane shard(String shardId, ProducerSettings settings, long now) {
    return new Lane(Optional.of(shardId), settings, 1.0, false, now);
  }

  static Lane streamWide(ProducerSettings settings, long now) {
    return new Lane(Optional.empty(), settings, STREAM_MAX_UNITS, true, now);
  }

  Optional<String> shardId() {
    return shardId;
  }

  double units() {
    return units;
  }

  boolean tryTake(int size, long now) {
    if (records.ready(now) && bytes.ready(now)) {
      records.take(1);
      bytes.take(size);
      return true;
    }
    return false;
  }

  long nanosUntilReady(long now) {
    return Math.max(records.nanosUntilReady(now), bytes.nanosUntilReady(now));
  }

  void throttled(long now) {
    if (now - lastDecrease < COOL_DOWN_NANOS) {
      return;
    }
    lastDecrease = now;
    lastIncrease = now;
    slowStart = false;
    apply(Math.max(MIN_UNITS, units * DECREASE), now);
  }

  void succeeded(long now) {
    double seconds = (now - lastIncrease) / 1e9;
    if (seconds <= 0 || units >= maxUnits) {
      lastIncrease = now;
      return;
    }
    lastIncrease = now;
    double next;
    if (slowStart) {
      next = units * Math.pow(2, seconds);
    } else {
      next =
          units
              + seconds
                  * (shardId.isPresent() ? SHARD_RECOVERY_PER_SECOND : STREAM_INCREASE_PER_SECOND);
    }
    apply(Math.min(maxUnits, next), now);
  }

  private void apply(double newUnits, long now) {
    units = newUnits;
    double recordRate = recordsPerUnit * units;
    double byteRate = bytesPerUnit * units;
    records.setRate(recordRate, Math.max(1, recordRate * burstSeconds), now);
    bytes.setRate(byteRate, Math.max(1, byteRate * burstSeconds), now);
  }
}
