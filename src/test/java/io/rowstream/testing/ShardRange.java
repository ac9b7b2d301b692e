package io.rowstream.testing;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The inclusive range of 128-bit hash keys a shard owns.
 *
 * @param shardId the shard id, e.g. {@code shardId-000000000001}
 * @param start the lowest hash key of the shard
 * @param end the highest hash key of the shard (inclusive, as Kinesis reports it)
 */
public record ShardRange(String shardId, BigInteger start, BigInteger end) {

  public ShardRange {
    Objects.requireNonNull(shardId, "shardId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.compareTo(end) > 0) {
      throw new IllegalArgumentException(
          "start " + start + " is above end " + end + " for " + shardId);
    }
  }

  /** Whether {@code hashKey} falls inside this shard's range (both ends included). */
  public boolean contains(BigInteger hashKey) {
    return start.compareTo(hashKey) <= 0 && hashKey.compareTo(end) <= 0;
  }
}
