package io.rowstream.delivery;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Predicts a record's shard as Kinesis picks it: the explicit hash key, or else the MD5 of the
 * partition key's UTF-8 bytes as an unsigned 128-bit integer, looked up among the open shards'
 * hash-key ranges.
 */
final class ShardMap {
  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java platform has MD5", e);
            }
          });

  private final List<StreamShard> shards;
  private final BigInteger[] starts;

  /**
   * @param shards the open shards; closed ones are left out
   */
  ShardMap(List<StreamShard> shards) {
    List<StreamShard> open = new ArrayList<>();
    for (StreamShard s : shards) {
      if (s.open()) {
        open.add(s);
      }
    }
    if (open.isEmpty()) {
      throw new IllegalArgumentException(
          "the stream has no open shard among " + shards.size() + " shards");
    }
    open.sort(Comparator.comparing(StreamShard::startingHashKey));
    this.shards = List.copyOf(open);
    this.starts = open.stream().map(StreamShard::startingHashKey).toArray(BigInteger[]::new);
  }

  List<StreamShard> shards() {
    return shards;
  }

  int size() {
    return shards.size();
  }

  /** The index of the shard whose range holds the hash key; the nearest one below it in a gap. */
  int indexOf(BigInteger hashKey) {
    int i = Arrays.binarySearch(starts, hashKey);
    return i >= 0 ? i : Math.max(0, -i - 2);
  }

  static BigInteger hashKey(OutboundRecord record) {
    if (record.explicitHashKey().isPresent()) {
      try {
        return new BigInteger(record.explicitHashKey().get());
      } catch (NumberFormatException e) {
        // the renderer rejects such keys before they get here; fall back to what Kinesis would
        // refuse anyway
      }
    }
    return hashKey(record.partitionKey());
  }

  static BigInteger hashKey(String partitionKey) {
    return new BigInteger(1, MD5.get().digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
  }
}
