package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shards are listed again when a record lands elsewhere than predicted, once an interval. */
class ShardRefreshTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void aRecordOnThePredictedShardWantsNoListing() {
    ShardRefresh refresh = new ShardRefresh(Duration.ofSeconds(1));
    refresh.listed(0);
    assertThat(refresh.notice("shard-1", "shard-1", 5 * SECOND)).isFalse();
    assertThat(refresh.notice(null, "shard-1", 5 * SECOND)).as("pacing stream-wide").isFalse();
    assertThat(refresh.take()).isFalse();
  }

  @Test
  void aRecordElsewhereWantsOneListingAndTheNextOnlyAfterTheInterval() {
    ShardRefresh refresh = new ShardRefresh(Duration.ofSeconds(1));
    refresh.listed(0);
    assertThat(refresh.notice("shard-1", "shard-2", SECOND / 2)).as("too soon").isFalse();
    assertThat(refresh.notice("shard-1", "shard-2", SECOND)).isTrue();
    assertThat(refresh.wanted()).isTrue();
    assertThat(refresh.take()).isTrue();
    assertThat(refresh.take()).as("taken once").isFalse();
    assertThat(refresh.notice("shard-1", "shard-2", SECOND + SECOND / 2)).isFalse();
    assertThat(refresh.notice("shard-1", "shard-2", 2 * SECOND)).isTrue();
  }
}
