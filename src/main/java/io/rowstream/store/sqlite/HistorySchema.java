package io.rowstream.store.sqlite;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of the run history. Counts are columns, so readers need no JSON to show a run. The
 * file's {@code user_version} is the schema's {@link #VERSION}; an older file is migrated by its
 * next writer.
 */
final class HistorySchema {
  /**
   * 1: a call's records packed in its row; 2: also one {@code call_keys} row per (run, key, call)
   * and the records' data kept for the debugger.
   */
  static final int VERSION = 2;

  private HistorySchema() {}

  /** Creates or migrates the tables in one transaction: a reader sees all of them or none. */
  static void create(Connection on) throws SQLException {
    Sqlite.inTransaction(
        on,
        () -> {
          int version = version(on);
          boolean old = exists(on) && version < VERSION;
          createTables(on);
          if (old) {
            migrateFromPackedKeys(on);
          }
          indexKeys(on, null);
          Sqlite.execute(on, "pragma user_version = " + VERSION);
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

  static int version(Connection on) throws SQLException {
    try (Statement s = on.createStatement();
        ResultSet rs = s.executeQuery("pragma user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
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
        // numbers), the failed ones as {"index": [code, message]}, and the records kept for the
        // debugger as a deflated JSON array by index
        "create table if not exists calls (run_id text not null, seq integer not null, operation text not null, "
            + "started_ms integer not null, duration_ms real not null, attempt integer, http_status integer, "
            + "request_id text, records integer, bytes integer, failed text, error text, keys text, shards text, "
            + "sequence_numbers text, errors text, data blob, primary key (run_id, seq))",
        // a run's calls in the order they started, a page at a time (the rows are wide)
        "create index if not exists calls_by_start on calls (run_id, started_ms, seq)",
        // a run's number, so each key row holds a small integer rather than the run id
        "create table if not exists run_numbers (run_id text primary key, n integer not null unique)",
        // one row per (run, key, call), clustered by key: a key search is an index seek, whatever
        // the run's size. WITHOUT ROWID and tiny (flags = event code * 2 + stored), so a backfill's
        // million rows stay cheap to write; the rest of what a record got is in its call's row
        "create table if not exists call_keys (n integer not null, pk text not null, seq integer not null, "
            + "idx integer not null, f integer not null, primary key (n, pk, seq)) without rowid",
        // a running run's key rows, appended as its calls come (no index to update in random key
        // order); when its recorder flushes, they move into call_keys sorted by key, which for the
        // newest run number is an append at the index's end
        "create table if not exists call_keys_new (n integer not null, pk text not null, "
            + "seq integer not null, idx integer not null, f integer not null)");
  }

  /**
   * Moves key rows of run {@code n} (or of every run, when null: rows a killed run left) from
   * {@code call_keys_new} into the index; part of the caller's transaction.
   */
  static void indexKeys(Connection on, Long n) throws SQLException {
    String which = n == null ? "" : " where n = " + n;
    Sqlite.execute(
        on,
        "insert or ignore into call_keys select n, pk, seq, idx, f from call_keys_new"
            + which
            + " order by n, pk, seq",
        "delete from call_keys_new" + which);
  }

  /**
   * Version 1 kept no key rows: each call's packed keys become {@code call_keys} rows (events
   * unknown, which version 1 did not keep), and calls gain the {@code data} column.
   */
  private static void migrateFromPackedKeys(Connection on) throws SQLException {
    Sqlite.execute(on, "alter table calls add column data blob");
    try (PreparedStatement read =
            on.prepareStatement(
                "select run_id, seq, keys, shards, sequence_numbers, errors from calls "
                    + "where keys is not null order by run_id, seq");
        ResultSet rs = read.executeQuery()) {
      String runId = null;
      long n = 0;
      PreparedStatement insert = prepareInsertKeys(on);
      while (rs.next()) {
        if (!rs.getString(1).equals(runId)) {
          runId = rs.getString(1);
          n = runNumber(on, runId);
        }
        List<String> keys = PackedCalls.keys(rs.getString(3));
        List<String> shards = PackedCalls.keys(rs.getString(4));
        java.util.Set<String> failed = PackedCalls.failedIndexes(rs.getString(6));
        StringBuilder flags = new StringBuilder(keys.size());
        for (int i = 0; i < keys.size(); i++) {
          boolean stored =
              i < shards.size() && shards.get(i) != null && !failed.contains(Integer.toString(i));
          flags.append(PackedCalls.flag(null, stored));
        }
        insertKeys(insert, n, rs.getLong(2), rs.getString(3), flags.toString());
        insert.executeBatch();
      }
      insert.close();
      indexKeys(on, null);
    } catch (IOException e) {
      throw new SQLException("a stored call is damaged: " + e.getMessage(), e);
    }
  }

  /** The number of run {@code runId} in {@code call_keys}, given on first use. */
  static long runNumber(Connection on, String runId) throws SQLException {
    try (PreparedStatement s =
        Sqlite.prepare(
            on,
            "insert or ignore into run_numbers (run_id, n) "
                + "values (?, (select coalesce(max(n), 0) + 1 from run_numbers))",
            runId)) {
      s.executeUpdate();
    }
    return runNumberOf(on, runId).orElseThrow();
  }

  /** The number of run {@code runId}, if it has one. */
  static java.util.OptionalLong runNumberOf(Connection on, String runId) throws SQLException {
    try (PreparedStatement s =
            Sqlite.prepare(on, "select n from run_numbers where run_id = ?", runId);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
    }
  }

  /**
   * The statement that appends one call's key rows to {@code call_keys_new}: SQLite walks the
   * call's keys (a JSON array) itself, so a call of 500 records is one JDBC round trip, not 500.
   */
  static PreparedStatement prepareInsertKeys(Connection on) throws SQLException {
    return on.prepareStatement(
        "insert into call_keys_new (n, pk, seq, idx, f) select ?, j.value, ?, j.key, "
            + "unicode(substr(?, j.key + 1, 1)) - 48 from json_each(?) j");
  }

  /** Adds one call's key rows to {@code insert}'s batch. */
  static void insertKeys(PreparedStatement insert, long n, long seq, String keys, String flags)
      throws SQLException {
    insert.setLong(1, n);
    insert.setLong(2, seq);
    insert.setString(3, flags);
    insert.setString(4, keys);
    insert.addBatch();
  }
}
