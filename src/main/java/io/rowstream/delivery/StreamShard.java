package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;

/**
 * One shard of a stream as ListShards describes it: its id and the inclusive range of 128-bit hash
 * keys it owns. A shard is open when it has no ending sequence number; only open shards take
 * writes.
 */
public record StreamShard(
    String shardId, BigInteger startingHashKey, BigInteger endingHashKey, boolean open) {
  public StreamShard {
    requireNonNull(shardId, "shardId is null");
    requireNonNull(startingHashKey, "startingHashKey is null");
    requireNonNull(endingHashKey, "endingHashKey is null");
    if (startingHashKey.compareTo(endingHashKey) > 0) {
      throw new IllegalArgumentException(
          "shard "
              + shardId
              + ": starting hash key "
              + startingHashKey
              + " is above its ending hash key "
              + endingHashKey);
    }
  }

  /**
   * Whether this open shard's range holds the record's hash key (MD5 of its partition key, or its
   * explicit hash key).
   */
  public boolean takes(OutboundRecord record) {
    BigInteger key = ShardMap.hashKey(record);
    return open && startingHashKey.compareTo(key) <= 0 && endingHashKey.compareTo(key) >= 0;
  }
}
