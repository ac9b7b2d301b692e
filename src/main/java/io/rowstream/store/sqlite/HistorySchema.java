package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The tables of the run history. Counts are columns, so readers need no JSON to show a run. The
 * file's {@code user_version} is the schema's {@link #VERSION}; an older file is migrated by its
 * next writer.
 */
final class HistorySchema {
  /**
   * 1: a call's records packed in its row; 2: one {@code call_keys} row per (run, key, call) and
   * the records' data kept for the debugger.
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
        // one row per call: its keys in order (a JSON array, to list the call's entries) and the
        // records kept for the debugger (a JSON array by index)
        "create table if not exists calls (run_id text not null, seq integer not null, operation text not null, "
            + "started_ms integer not null, duration_ms real not null, attempt integer, http_status integer, "
            + "request_id text, records integer, bytes integer, failed text, error text, keys text, "
            + "data text, primary key (run_id, seq))",
        // one row per record a call carried, clustered by (run, key) so a key search is an index
        // seek; WITHOUT ROWID: the rows are small and the key is the table, with no second b-tree
        "create table if not exists call_keys (run_id text not null, pk text not null, seq integer not null, "
            + "idx integer not null, event text, shard text, sequence_number text, error_code text, "
            + "error_message text, primary key (run_id, pk, seq, idx)) without rowid");
  }

  /**
   * Version 1 packed each call's keys, shards, sequence numbers and errors into its row: they move
   * into {@code call_keys} (without events, which version 1 did not keep), and the call gains the
   * {@code data} column.
   */
  private static void migrateFromPackedKeys(Connection on) throws SQLException {
    Sqlite.execute(on, "alter table calls add column data text");
    TypeReference<List<String>> strings = new TypeReference<>() {};
    TypeReference<Map<String, List<String>>> errors = new TypeReference<>() {};
    try (PreparedStatement read =
            on.prepareStatement(
                "select run_id, seq, keys, shards, sequence_numbers, errors from calls "
                    + "where keys is not null");
        PreparedStatement insert =
            on.prepareStatement(
                "insert or ignore into call_keys values (?, ?, ?, ?, null, ?, ?, ?, ?)");
        ResultSet rs = read.executeQuery()) {
      while (rs.next()) {
        List<String> keys = HistoryQueries.JSON.readValue(rs.getString(3), strings);
        List<String> shards =
            rs.getString(4) == null
                ? List.of()
                : HistoryQueries.JSON.readValue(rs.getString(4), strings);
        List<String> sequenceNumbers =
            rs.getString(5) == null
                ? List.of()
                : HistoryQueries.JSON.readValue(rs.getString(5), strings);
        Map<String, List<String>> failed =
            rs.getString(6) == null
                ? Map.of()
                : HistoryQueries.JSON.readValue(rs.getString(6), errors);
        for (int i = 0; i < keys.size(); i++) {
          List<String> error = failed.get(Integer.toString(i));
          insert.setString(1, rs.getString(1));
          insert.setString(2, keys.get(i));
          insert.setLong(3, rs.getLong(2));
          insert.setInt(4, i);
          insert.setString(5, error == null && i < shards.size() ? shards.get(i) : null);
          insert.setString(
              6, error == null && i < sequenceNumbers.size() ? sequenceNumbers.get(i) : null);
          insert.setString(7, error == null ? null : error.get(0));
          insert.setString(8, error == null ? null : error.get(1));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    } catch (IOException e) {
      throw new SQLException("a stored call is damaged: " + e.getMessage(), e);
    }
    Sqlite.execute(
        on,
        "alter table calls drop column shards",
        "alter table calls drop column sequence_numbers",
        "alter table calls drop column errors");
  }
}
