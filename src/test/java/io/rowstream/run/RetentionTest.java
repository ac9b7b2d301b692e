package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.delivery.PutResult;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunView;
import io.rowstream.store.sqlite.SqliteHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old runs and their calls leave the state at the start of a run; the clock is the test's. */
class RetentionTest {
  @TempDir Path dir;

  /** A clock the test moves forward. */
  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** Stores every record on one shard. */
  static final class StoringDestination implements Destination {
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      List<EntryResult> entries = new ArrayList<>();
      records.forEach(
          r ->
              entries.add(
                  EntryResult.stored(
                      "shardId-000000000000", Long.toString(sequence.incrementAndGet()))));
      return new PutResult(entries, 200, Optional.of("request-" + sequence.get()));
    }

    @Override
    public void close() {}
  }

  private RowstreamConfig config(String retention) throws IOException {
    new Project(dir).sql("create table customers as select i as id from range(1, 6) t(i)");
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        %s
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, table: customers, primary_key: id, destination: kinesis, stream: s}
        """
            .formatted(retention));
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    return result.config().orElseThrow();
  }

  private List<String> runIds(RowstreamConfig config) {
    try (HistoryReader history = SqliteHistory.reader(config.stateDir(), "customers")) {
      return history.runs(100).stream().map(RunView::runId).toList();
    }
  }

  private int calls(RowstreamConfig config, String runId) {
    try (HistoryReader history = SqliteHistory.reader(config.stateDir(), "customers")) {
      return history.calls(runId).size();
    }
  }

  @Test
  void runsAndCallsOlderThanSevenDaysAreDeletedWhenTheNextRunStarts() throws IOException {
    RowstreamConfig config = config("");
    assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
    MovableClock clock = new MovableClock(Instant.parse("2026-11-01T10:00:00Z"));
    SyncRunner runner =
        new SyncRunner(config, d -> new StoringDestination(), ProducerSettings.defaults(), clock);

    String first = runner.run("customers", SyncRunner.newTally()).runId();
    assertThat(calls(config, first))
        .as("ListShards (this fake cannot list shards) and PutRecords")
        .isEqualTo(2);
    clock.advance(Duration.ofDays(6));
    String second = runner.run("customers", SyncRunner.newTally()).runId();
    assertThat(runIds(config)).containsExactlyInAnyOrder(first, second);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    String third = runner.run("customers", SyncRunner.newTally()).runId();

    assertThat(runIds(config)).containsExactlyInAnyOrder(second, third);
    assertThat(calls(config, first)).isZero();
  }

  @Test
  void retentionIsConfigurable() throws IOException {
    RowstreamConfig config = config("retention: 36h");
    assertThat(config.retention()).isEqualTo(Duration.ofHours(36));
    MovableClock clock = new MovableClock(Instant.parse("2026-11-01T10:00:00Z"));
    SyncRunner runner =
        new SyncRunner(config, d -> new StoringDestination(), ProducerSettings.defaults(), clock);

    String first = runner.run("customers", SyncRunner.newTally()).runId();
    clock.advance(Duration.ofHours(37));
    String second = runner.run("customers", SyncRunner.newTally()).runId();

    assertThat(runIds(config)).containsExactly(second);
    assertThat(first).isNotEqualTo(second);
  }
}
