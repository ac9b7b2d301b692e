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
 * ranges, each admitting {@code recordsPerSecond} (with one second of burst), the rest answered
 * with ProvisionedThroughputExceededException entries. Can reshard, and can refuse ListShards.
 */
final class SimulatedKinesis implements Destination {
  private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);

  private final int recordsPerSecond;
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
    this.recordsPerSecond = recordsPerSecond;
    reshard(shardCount);
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
      // a tenth of a second of burst, as strict as the producer's own
      nextBuckets[i] =
          new TokenBucket(recordsPerSecond, recordsPerSecond / 10.0, System.nanoTime());
    }
    generation++;
    shards = next;
    buckets = nextBuckets;
  }

  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    listShardsCalls.incrementAndGet();
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
