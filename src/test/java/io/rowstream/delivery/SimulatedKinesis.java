package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hand-written destination that behaves like a provisioned stream: shards with even hash-key
 * ranges, each admitting {@code recordsPerSecond} (with a tenth of a second of burst unless told
 * otherwise), the rest answered with ProvisionedThroughputExceededException entries. Can reshard,
 * and can refuse ListShards.
 *
 * <p>It also keeps how far ahead of its pace each shard's sender ever was: the entries that reached
 * a shard, minus {@code recordsPerSecond} times the time since the first ListShards. A request
 * reaches it after the producer took its tokens, never before, so a producer that paces correctly
 * stays within its own burst however starved the machine is; only a producer too fast goes beyond.
 */
final class SimulatedKinesis implements Destination {
  private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);

  private final int recordsPerSecond;
  private final double burstSeconds;
  private long firstListing;
  private long[] arrived;
  private double mostAhead = Double.NEGATIVE_INFINITY;
  private volatile List<StreamShard> shards;
  private volatile TokenBucket[] buckets;
  private volatile boolean denyListShards;
  final AtomicInteger listShardsCalls = new AtomicInteger();
  final AtomicInteger putCalls = new AtomicInteger();
  final AtomicLong stored = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlightSeen = new AtomicInteger();
  private int generation;

  SimulatedKinesis(int shardCount, int recordsPerSecond) {
    this(shardCount, recordsPerSecond, 0.1);
  }

  SimulatedKinesis(int shardCount, int recordsPerSecond, double burstSeconds) {
    this.recordsPerSecond = recordsPerSecond;
    this.burstSeconds = burstSeconds;
    reshard(shardCount);
  }

  /**
   * The most entries (admitted or throttled) any shard had received beyond {@code recordsPerSecond}
   * times the time since the first ListShards; negative infinity before any.
   */
  synchronized double mostEntriesAheadOfPace() {
    return mostAhead;
  }

  SimulatedKinesis denyingListShards() {
    denyListShards = true;
    return this;
  }

  /** Replaces the open shards with {@code shardCount} new ones, as a split or merge would. */
  synchronized void reshard(int shardCount) {
    List<StreamShard> next = new ArrayList<>();
    TokenBucket[] nextBuckets = new TokenBucket[shardCount];
    BigInteger width = SPACE.divide(BigInteger.valueOf(shardCount));
    for (int i = 0; i < shardCount; i++) {
      BigInteger start = width.multiply(BigInteger.valueOf(i));
      BigInteger end =
          i == shardCount - 1
              ? SPACE.subtract(BigInteger.ONE)
              : start.add(width).subtract(BigInteger.ONE);
      next.add(new StreamShard("shardId-g" + generation + "-" + i, start, end, true));
      nextBuckets[i] =
          new TokenBucket(recordsPerSecond, recordsPerSecond * burstSeconds, System.nanoTime());
    }
    generation++;
    arrived = new long[shardCount];
    shards = next;
    buckets = nextBuckets;
  }

  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    if (listShardsCalls.getAndIncrement() == 0) {
      synchronized (this) {
        firstListing = System.nanoTime();
      }
    }
    if (denyListShards) {
      throw new DestinationException(
          RowstreamException.Kind.FATAL,
          "access denied: kinesis:ListShards",
          null,
          "AccessDeniedException",
          400,
          Optional.of("req-denied"));
    }
    // two pages, to exercise the token
    List<StreamShard> all = shards;
    int half = all.size() / 2;
    if (half == 0) {
      return new ShardPage(all, Optional.empty(), 200, Optional.of("req-1"));
    }
    return nextToken.isEmpty()
        ? new ShardPage(all.subList(0, half), Optional.of("page-2"), 200, Optional.of("req-1"))
        : new ShardPage(all.subList(half, all.size()), Optional.empty(), 200, Optional.of("req-2"));
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records) {
    putCalls.incrementAndGet();
    maxInFlightSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      List<EntryResult> results = new ArrayList<>(records.size());
      synchronized (this) {
        long now = System.nanoTime();
        for (OutboundRecord r : records) {
          BigInteger hash = ShardMap.hashKey(r);
          int i = hash.multiply(BigInteger.valueOf(shards.size())).divide(SPACE).intValue();
          arrived[i]++;
          mostAhead =
              Math.max(mostAhead, arrived[i] - recordsPerSecond * (now - firstListing) / 1e9);
          if (buckets[i].ready(now)) {
            buckets[i].take(1);
            results.add(
                EntryResult.stored(
                    shards.get(i).shardId(), Long.toString(stored.incrementAndGet())));
          } else {
            throttled.incrementAndGet();
            results.add(
                EntryResult.failed(
                    "ProvisionedThroughputExceededException",
                    "Rate exceeded for shard " + shards.get(i).shardId()));
          }
        }
      }
      return new PutResult(results, 200, Optional.of("req-" + putCalls.get()));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {}
}
