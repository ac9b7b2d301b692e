package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination's {@code shard_share} and {@code max_in_flight}, through the SyncRunner into a
 * simulated stream ({@link FaultProxy#sink}) that enforces per-shard limits.
 */
class SendingSettingsIT {
  private static final int ROWS = 4_000;

  @TempDir Path dir;
  private FaultProxy sink;

  @BeforeEach
  void startSink() {
    sink = FaultProxy.sink(2);
  }

  @AfterEach
  void stopSink() {
    sink.close();
  }

  private RunSummary run(String sending) {
    new Project(dir).customers(ROWS, sink.endpoint(), "events").destinationSettings(sending);
    RowstreamConfig config =
        ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
    return new SyncRunner(config, KinesisDestination::connect)
        .run("customers", SyncRunner.newTally());
  }

  /**
   * Another producer takes half of each shard: the stream gives Rowstream 500 records/s a shard,
   * with one second of burst, as Kinesis allows.
   */
  private void shareHalfOfEachShard() {
    sink.throttle(
        new FaultProxy.Throttle(FaultProxy.evenShards(2), 500, 512 * 1024, Duration.ofSeconds(1)));
  }

  @Test
  void aHalfShareOfEachShardPacesToHalfTheLimitsWithoutThrottling() {
    shareHalfOfEachShard();
    RunSummary summary = run("    shard_share: 50%\n");

    assertThat(summary.status())
        .as(summary.toJson().toString())
        .isEqualTo(RunSummary.Status.SUCCEEDED);
    FaultProxy.Counts counts = sink.counts();
    assertThat(counts.stored()).isEqualTo(ROWS);
    // the stream allows a second ahead of its pace; the producer is never more than ~0.15 s ahead
    // of its own
    assertThat(counts.throttled()).as("throttled of %d entries", counts.entries()).isZero();
  }

  @Test
  void withTheWholeShardTheSameStreamThrottles() {
    shareHalfOfEachShard();
    RunSummary summary = run("");

    // the producer paces to 1,000 records/s a shard and slows a shard that throttles: every row
    // lands,
    // but only after the stream refused some (~70 of 4,000 here)
    assertThat(summary.sent() + summary.rejected()).isEqualTo(ROWS);
    assertThat(sink.counts().throttled())
        .as("the setting is what keeps the stream from throttling")
        .isGreaterThan(ROWS / 200);
  }

  @Test
  void maxInFlightBoundsTheRequestsAtOnce() {
    sink.faults(FaultProxy.Faults.none().slow(1.0, Duration.ofMillis(300)));
    assertThat(run("    max_in_flight: 1\n").status()).isEqualTo(RunSummary.Status.SUCCEEDED);
    assertThat(sink.maxConcurrentPuts()).isEqualTo(1);
  }

  @Test
  void moreRequestsInFlightWhenAllowed() {
    sink.faults(FaultProxy.Faults.none().slow(1.0, Duration.ofMillis(300)));
    assertThat(run("    max_in_flight: 8\n").status()).isEqualTo(RunSummary.Status.SUCCEEDED);
    assertThat(sink.maxConcurrentPuts()).isGreaterThan(1).isLessThanOrEqualTo(8);
  }
}
