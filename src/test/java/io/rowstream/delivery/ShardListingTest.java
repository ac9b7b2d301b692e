package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.RowstreamException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardListingTest {
  @Test
  void everyPageIsFollowedAndTheShardsKeepTheirOrder() {
    InMemoryKinesis kinesis = new InMemoryKinesis(2, 100).stream("s", 0, 0, 0, 0, 0);

    List<StreamShard> shards = ShardListing.all(kinesis, "s");

    assertThat(shards)
        .extracting(StreamShard::shardId)
        .containsExactly("shardId-0", "shardId-1", "shardId-2", "shardId-3", "shardId-4");
    assertThat(kinesis.calls).containsExactly(Call.LIST_SHARDS, Call.LIST_SHARDS, Call.LIST_SHARDS);
  }

  @Test
  void theProducersMapHoldsEveryPagesShards() {
    InMemoryKinesis kinesis = new InMemoryKinesis(1, 100).stream("s", 0, 0, 0);

    assertThat(ShardListing.map(kinesis, "s").size()).isEqualTo(3);
  }

  @Test
  void pagesThatNeverEndAreAnErrorAndTheProducerPacesStreamWide() {
    Destination endless =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            throw new UnsupportedOperationException();
          }

          @Override
          public ShardPage listShards(String stream, Optional<String> nextToken) {
            return new ShardPage(List.of(), Optional.of("again"), 200, Optional.empty());
          }

          @Override
          public void close() {}
        };

    assertThatThrownBy(() -> ShardListing.all(endless, "s"))
        .isInstanceOf(RowstreamException.class)
        .hasMessageContaining("more than " + ShardListing.MAX_SHARD_PAGES + " pages");
    assertThat(ShardListing.map(endless, "s")).isNull();
  }
}
