package io.rowstream.store.synclog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.postgresql.PGConnection;

/** PostgreSQL: the events go in with one {@code COPY ... FROM STDIN}, the spool streamed as is. */
final class PostgresLogWriter implements LogWriter {
  /** Another process created the schema or a table between our look and our create. */
  private static final Set<String> RACED = Set.of("42P06", "42P07", "23505");

  @Override
  public void ensureTables(Connection c, String schema) throws SQLException {
    // look before creating: CREATE ... IF NOT EXISTS still needs the CREATE grant, which a user
    // given only an existing schema and its tables does not have
    if (!exists(c, "select 1 from pg_namespace where nspname = ?", schema)) {
      execute(c, "create schema if not exists " + LogTables.identifier(schema));
    }
    String tables =
        "select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            + "where n.nspname = ? and c.relname = '";
    if (!exists(c, tables + LogTables.RUNS + "'", schema)) {
      execute(c, LogTables.runsDdl(schema));
    }
    if (!exists(c, tables + LogTables.EVENTS + "'", schema)) {
      execute(c, LogTables.eventsDdl(schema));
    }
  }

  @Override
  public long appendEvents(Connection c, String schema, Path events)
      throws SQLException, IOException {
    String copy =
        "copy "
            + LogTables.table(schema, LogTables.EVENTS)
            + " ("
            + String.join(", ", LogTables.EVENT_COLUMNS)
            + ") from stdin with (format csv)";
    try (Reader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
      return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, in);
    }
  }

  private static boolean exists(Connection c, String sql, String schema) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (!RACED.contains(e.getSQLState())) {
        throw e;
      }
    }
  }
}
