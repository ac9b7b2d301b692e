package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaneTest {
  private static final ProducerSettings SETTINGS = ProducerSettings.defaults();
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aShardLaneAdmitsItsBurstThenOneRecordPerMillisecond() {
    Lane lane = Lane.shard("shardId-0", SETTINGS, 0);
    int taken = 0;
    while (lane.tryTake(100, 0)) {
      taken++;
    }
    assertThat(taken).as("a tenth of a second of 1,000 records/s").isEqualTo(100);
    // the balance is now zero: the next record may overdraw it by one, then the debt sets the pace
    assertThat(lane.tryTake(100, 1_000)).isTrue();
    assertThat(lane.nanosUntilReady(1_000)).isBetween(900_000L, 1_100_000L);
    assertThat(lane.tryTake(100, 500_000)).isFalse();
    assertThat(lane.tryTake(100, 1_100_000)).isTrue();
  }

  @Test
  void aRecordLargerThanTheBurstStillGoesOutAndIsPaidBackBeforeTheNext() {
    Lane lane = Lane.shard("shardId-0", SETTINGS, 0);
    assertThat(lane.tryTake(1024 * 1024, 0)).isTrue();
    assertThat(lane.tryTake(10, 0)).isFalse();
    assertThat(lane.nanosUntilReady(0))
        .as("the debt of ~0.9 MiB at 1 MiB/s")
        .isBetween(SECOND * 8 / 10, SECOND);
  }

  @Test
  void throttlingHalvesAShardsPaceOncePerCoolDownAndItRecoversAdditively() {
    Lane lane = Lane.shard("shardId-0", SETTINGS, 0);
    lane.throttled(SECOND);
    assertThat(lane.units()).isEqualTo(0.5);
    lane.throttled(SECOND + Lane.COOL_DOWN_NANOS / 2);
    assertThat(lane.units()).as("the same congestion reported twice").isEqualTo(0.5);
    lane.succeeded(2 * SECOND);
    assertThat(lane.units()).isEqualTo(0.5 + Lane.SHARD_RECOVERY_PER_SECOND);
    lane.succeeded(10 * SECOND);
    assertThat(lane.units()).as("never above the shard's limit").isEqualTo(1.0);
  }

  @Test
  void theStreamWideLaneDoublesEachSecondUntilTheFirstThrottleThenGrowsByOneShardASecond() {
    Lane lane = Lane.streamWide(SETTINGS, 0);
    lane.succeeded(SECOND);
    lane.succeeded(2 * SECOND);
    lane.succeeded(3 * SECOND);
    assertThat(lane.units()).isEqualTo(8.0);
    lane.throttled(3 * SECOND);
    assertThat(lane.units()).isEqualTo(4.0);
    lane.succeeded(5 * SECOND);
    assertThat(lane.units()).isEqualTo(6.0);
  }
}
