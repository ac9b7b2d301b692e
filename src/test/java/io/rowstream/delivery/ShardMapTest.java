package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardMapTest {
  private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);
  private static final BigInteger TOP = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private static OutboundRecord record(String partitionKey, String explicitHashKey) {
    return new OutboundRecord(new byte[0], partitionKey, Optional.ofNullable(explicitHashKey));
  }

  @Test
  void theHashKeyIsTheMd5OfThePartitionKeysUtf8BytesAsAnUnsigned128BitInteger() {
    assertThat(ShardMap.hashKey(""))
        .isEqualTo(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16));
    // "e" hashes to e167...: the top bit is set, and the key must still read as a positive number
    assertThat(ShardMap.hashKey("e"))
        .isEqualTo(new BigInteger("e1671797c52e15f763380b45e841ec32", 16))
        .isGreaterThan(HALF);
  }

  @Test
  void anExplicitHashKeyWinsOverThePartitionKey() {
    assertThat(ShardMap.hashKey(record("a", "12345"))).isEqualTo(BigInteger.valueOf(12345));
    assertThat(ShardMap.hashKey(record("a", null))).isEqualTo(ShardMap.hashKey("a"));
  }

  @Test
  void recordsAreMappedToTheOpenShardWhoseRangeHoldsTheirHashKey() {
    ShardMap map =
        new ShardMap(
            List.of(
                new StreamShard("shardId-2", HALF, TOP, true),
                new StreamShard("shardId-0", BigInteger.ZERO, TOP, false),
                new StreamShard(
                    "shardId-1", BigInteger.ZERO, HALF.subtract(BigInteger.ONE), true)));
    assertThat(map.shards())
        .extracting(StreamShard::shardId)
        .containsExactly("shardId-1", "shardId-2");
    assertThat(map.indexOf(BigInteger.ZERO)).isZero();
    assertThat(map.indexOf(HALF.subtract(BigInteger.ONE))).isZero();
    assertThat(map.indexOf(HALF)).isEqualTo(1);
    assertThat(map.indexOf(TOP)).isEqualTo(1);
  }

  @Test
  void aStreamWithoutOpenShardsHasNoMap() {
    assertThatThrownBy(
            () -> new ShardMap(List.of(new StreamShard("shardId-0", BigInteger.ZERO, TOP, false))))
        .hasMessage("the stream has no open shard among 1 shards");
  }
}
