package io.rowstream.store.synclog;

import io.rowstream.core.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync log's two tables in the log's schema, the same in PostgreSQL and DuckDB: {@code runs},
 * one row per run (its id is the key, so a run is never logged twice), and {@code events}, one row
 * per sent or rejected row.
 */
final class LogTables {
  private LogTables() {}

  static final String RUNS = "runs";
  static final String EVENTS = "events";

  /** The columns of {@code events}, in the spool's order. */
  static final List<String> EVENT_COLUMNS =
      List.of(
          "run_id",
          "sync",
          "primary_key",
          "op",
          "outcome",
          "reason",
          "message",
          "shard",
          "sequence_number",
          "event_at");

  static String runsDdl(String schema) {
    StringBuilder counts = new StringBuilder();
    for (EventType type : EventType.values()) {
      for (String what : List.of("planned", "sent", "rejected")) {
        counts.append(type.label()).append('_').append(what).append(" bigint not null, ");
      }
    }
    return "create table if not exists "
        + table(schema, RUNS)
        + " (run_id text primary key, sync text not null, status text not null, "
        + "started_at timestamptz not null, finished_at timestamptz not null, "
        + "rows_queried bigint not null, "
        + counts
        + "skipped bigint not null, invalid bigint not null, error_code text, error text, "
        + "logged_at timestamptz not null default current_timestamp)";
  }

  static String eventsDdl(String schema) {
    return "create table if not exists "
        + table(schema, EVENTS)
        + " (run_id text not null, sync text not null, primary_key text, op text, "
        + "outcome text not null, reason text, message text, shard text, sequence_number text, "
        + "event_at timestamptz not null)";
  }

  static String table(String schema, String table) {
    return identifier(schema) + "." + table;
  }

  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Inserts the run's row unless a run of that id is logged already; returns whether it did. */
  static boolean insertRun(Connection c, String schema, LoggedRun run) throws SQLException {
    List<String> columns = new ArrayList<>(List.of("run_id", "sync", "status"));
    List<String> values = new ArrayList<>(List.of("?", "?", "?"));
    columns.addAll(List.of("started_at", "finished_at"));
    values.addAll(List.of("cast(? as timestamptz)", "cast(? as timestamptz)"));
    columns.add("rows_queried");
    for (EventType type : EventType.values()) {
      for (String what : List.of("planned", "sent", "rejected")) {
        columns.add(type.label() + "_" + what);
      }
    }
    columns.addAll(List.of("skipped", "invalid", "error_code", "error"));
    while (values.size() < columns.size()) {
      values.add("?");
    }
    String sql =
        "insert into "
            + table(schema, RUNS)
            + " ("
            + String.join(", ", columns)
            + ") values ("
            + String.join(", ", values)
            + ") on conflict (run_id) do nothing";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setString(i++, run.runId());
      s.setString(i++, run.sync());
      s.setString(i++, run.status());
      s.setString(i++, run.startedAt().toString());
      s.setString(i++, run.finishedAt().toString());
      s.setLong(i++, run.counts().rows());
      for (EventType type : EventType.values()) {
        s.setLong(i++, run.counts().events(type).planned());
        s.setLong(i++, run.counts().events(type).sent());
        s.setLong(i++, run.counts().events(type).rejected());
      }
      s.setLong(i++, run.counts().skipped());
      s.setLong(i++, run.counts().invalid());
      s.setString(i++, run.errorCode().orElse(null));
      s.setString(i, run.error().orElse(null));
      return s.executeUpdate() > 0;
    }
  }
}
