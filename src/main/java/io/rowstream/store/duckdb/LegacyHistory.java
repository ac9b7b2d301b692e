package io.rowstream.store.duckdb;

import io.rowstream.history.RejectedRow;
import io.rowstream.store.duckdb.DuckDbState.LegacyRun;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * The run history an older Rowstream kept in the state file (tables runs, rejections, calls and
 * call_records): read to move it to the history's own file, then dropped.
 */
final class LegacyHistory {
  private final DuckDbState state;
  private final DuckDBConnection connection;
  private final DuckDBConnection writer;

  LegacyHistory(DuckDbState state, DuckDBConnection connection, DuckDBConnection writer) {
    this.state = state;
    this.connection = connection;
    this.writer = writer;
  }

  /**
   * The run history an older Rowstream kept in this file (tables runs and rejections), to move to
   * the history's own file; empty when there is none.
   */
  List<LegacyRun> runs() {
    List<LegacyRun> runs = new ArrayList<>();
    try {
      if (!tableExists("runs")) {
        return runs;
      }
      boolean rejections = tableExists("rejections");
      List<String[]> found = new ArrayList<>();
      try (Statement s = connection.createStatement();
          ResultSet rs =
              s.executeQuery("select run_id, started_at, finished_at, status, summary from runs")) {
        while (rs.next()) {
          found.add(
              new String[] {
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
              });
        }
      }
      // results stream: one query at a time on the connection
      for (String[] run : found) {
        runs.add(
            new LegacyRun(
                run[0],
                run[1],
                Optional.ofNullable(run[2]),
                run[3],
                Optional.ofNullable(run[4]),
                rejections ? legacyRejections(run[0]) : List.of()));
      }
    } catch (SQLException e) {
      throw state.failed("reading the old run history in", e);
    }
    return runs;
  }

  private List<RejectedRow> legacyRejections(String runId) throws SQLException {
    List<RejectedRow> rows = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "select pk, op, reason, message from rejections where run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return rows;
  }

  /** Drops the run history tables an older Rowstream kept in this file (once moved). */
  void drop() {
    try {
      if (!tableExists("runs") && !tableExists("calls")) {
        return;
      }
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
    state.transaction(
        writer,
        List.of(
            "drop table if exists call_records",
            "drop table if exists calls",
            "drop table if exists rejections",
            "drop table if exists runs"));
  }

  private boolean tableExists(String table) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select count(*) from duckdb_tables() where database_name = current_database() and table_name = ?")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }
}
