package io.rowstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.EntryResult;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunHistoryContract;
import io.rowstream.history.RunRow;
import io.rowstream.history.RunView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqliteHistoryTest extends RunHistoryContract {
  @Override
  protected RunHistory openWriter(Path dir, String sync, Clock clock) {
    return SqliteHistory.open(dir, sync, clock);
  }

  @Override
  protected HistoryReader openReader(Path dir, String sync, Clock clock) {
    return SqliteHistory.reader(dir, sync, clock);
  }

  /** A history file as version 1 wrote it: each call's records packed into its row. */
  private void writeVersion1File(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(
          "create table runs (run_id text primary key, started_at text not null, "
              + "started_ms integer not null, finished_at text, status text not null, phase text not null, "
              + "pid integer, reported_ms integer, rows integer not null default 0, "
              + "added_planned integer not null default 0, added_sent integer not null default 0, "
              + "added_rejected integer not null default 0, changed_planned integer not null default 0, "
              + "changed_sent integer not null default 0, changed_rejected integer not null default 0, "
              + "removed_planned integer not null default 0, removed_sent integer not null default 0, "
              + "removed_rejected integer not null default 0, skipped integer not null default 0, "
              + "invalid integer not null default 0, error text, summary text)");
      s.execute(
          "create table calls (run_id text not null, seq integer not null, operation text not null, "
              + "started_ms integer not null, duration_ms real not null, attempt integer, http_status integer, "
              + "request_id text, records integer, bytes integer, failed text, error text, keys text, shards text, "
              + "sequence_numbers text, errors text, primary key (run_id, seq))");
      s.execute(
          "create table run_reasons (run_id text not null, reason text not null, n integer not null, "
              + "primary key (run_id, reason))");
      s.execute(
          "create table rejections (run_id text not null, pk text, op text, reason text not null, "
              + "message text not null)");
      s.execute(
          "insert into runs (run_id, started_at, started_ms, status, phase) values "
              + "('old-run', '2026-11-20T10:00:00Z', "
              + T0.toEpochMilli()
              + ", 'succeeded', 'done')");
      s.execute(
          "insert into calls values ('old-run', 1, 'PutRecords', "
              + T0.toEpochMilli()
              + ", 12.5, 1, 200, 'req-1', 2, 200, '{\"InternalFailure\":1}', null, "
              + "'[\"a\",\"b\"]', '[\"shardId-0\",null]', '[\"7\",null]', '{\"1\":[\"InternalFailure\",\"oops\"]}')");
    }
  }

  @Test
  void aVersion1HistoryIsMigratedByItsNextWriterAndItsKeysAreFoundByIndex() throws Exception {
    writeVersion1File(SqliteHistory.file(dir, "customers"));
    try (HistoryReader reader = openReader(dir, "customers", NOW)) {
      assertThat(reader.runs(10)).extracting(RunView::runId).containsExactly("old-run");
      assertThat(reader.calls("old-run")).hasSize(1);
      assertThat(reader.callsCarrying("old-run", "a"))
          .as("an old file reads its runs, not yet its keys")
          .isEmpty();
    }
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      assertThat(history.callsCarrying("old-run", "a"))
          .singleElement()
          .satisfies(
              k -> {
                assertThat(k.result()).contains(EntryResult.stored("shardId-0", "7"));
                assertThat(k.call().call().requestId()).contains("req-1");
              });
      assertThat(history.callsCarrying("old-run", "b"))
          .extracting(KeyInCall::result)
          .containsExactly(Optional.of(EntryResult.failed("InternalFailure", "oops")));
      assertThat(history.rows("old-run", RowFilter.ALL, 0, 10))
          .extracting(RunRow::key)
          .containsExactly("a");
    }
    try (HistoryReader reader = openReader(dir, "customers", NOW)) {
      assertThat(reader.entries("old-run", 1)).hasSize(2);
    }
  }
}
