package io.rowstream.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The tables of the run history. Counts are columns, so readers need no JSON to show a run. */
final class HistorySchema {
  private HistorySchema() {}

  /** Creates the tables in one transaction: a reader sees all of them or none. */
  static void create(Connection on) throws SQLException {
    Sqlite.inTransaction(
        on,
        () -> {
          createTables(on);
          return null;
        });
  }

  /** Whether the tables exist (a reader may open the file while its first writer creates them). */
  static boolean exists(Connection on) throws SQLException {
    try (Statement s = on.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from sqlite_master where type = 'table' and name = 'calls'")) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }

  private static void createTables(Connection on) throws SQLException {
    Sqlite.execute(
        on,
        "create table if not exists runs (run_id text primary key, started_at text not null, "
            + "started_ms integer not null, finished_at text, status text not null, phase text not null, "
            + "pid integer, reported_ms integer, rows integer not null default 0, "
            + "added_planned integer not null default 0, added_sent integer not null default 0, "
            + "added_rejected integer not null default 0, changed_planned integer not null default 0, "
            + "changed_sent integer not null default 0, changed_rejected integer not null default 0, "
            + "removed_planned integer not null default 0, removed_sent integer not null default 0, "
            + "removed_rejected integer not null default 0, skipped integer not null default 0, "
            + "invalid integer not null default 0, error text, summary text)",
        "create index if not exists runs_by_start on runs (started_ms desc, run_id desc)",
        // rejected rows by reason: one row per (run, reason)
        "create table if not exists run_reasons (run_id text not null, reason text not null, n integer not null, "
            + "primary key (run_id, reason))",
        "create table if not exists rejections (run_id text not null, pk text, op text, reason text not null, "
            + "message text not null)",
        "create index if not exists rejections_by_run on rejections (run_id, pk)",
        "create index if not exists rejections_by_key on rejections (pk)",
        // one row per call; the records it carried as JSON arrays by index (keys, shards, sequence
        // numbers) and the failed ones as {"index": [code, message]}: a row per record costs a
        // backfill
        // far more to write than a key lookup (a text search over the run's calls) costs to read
        "create table if not exists calls (run_id text not null, seq integer not null, operation text not null, "
            + "started_ms integer not null, duration_ms real not null, attempt integer, http_status integer, "
            + "request_id text, records integer, bytes integer, failed text, error text, keys text, shards text, "
            + "sequence_numbers text, errors text, primary key (run_id, seq))");
  }
}
