package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Connections to a MariaDB or MySQL source for the planner (MariaDB Connector/J, as the source
 * reads it), and the dialect's quoting. The planner's schema is a database there.
 */
final class MariaDb {
  /**
   * Memory for the internal temporary tables of the plan (the model's keys of the anti join), in
   * bytes: past it MariaDB moves them to disk (Aria), which made the anti join of 1M keys 12 times
   * slower (96 s instead of 8 s). As PostgreSQL's {@link Pg#PLAN_WORK_MEM}.
   */
  static final long PLAN_TMP_MEMORY = 256L << 20;

  /**
   * Session settings that fix how a row prints as text, so its fingerprint depends only on its
   * values: TIMESTAMP columns in UTC; read-committed, so folding acknowledgements in takes no gap
   * locks that would hold up the senders' inserts; and the plan's temporary tables in memory.
   */
  static final List<String> SESSION =
      List.of(
          "set time_zone = '+00:00'",
          "set session transaction isolation level read committed",
          "set session max_heap_table_size = " + PLAN_TMP_MEMORY,
          "set session tmp_memory_table_size = " + PLAN_TMP_MEMORY);

  /**
   * The error codes of a refused privilege: on a database (1044, also CREATE TEMPORARY TABLES), a
   * table (1142), a column (1143), or a specific privilege (1227). 1045 is a wrong password.
   */
  private static final Set<Integer> DENIED = Set.of(1044, 1142, 1143, 1227);

  private MariaDb() {}

  /** Connects to the source with the planner's session settings; autocommit on. */
  static Connection connect(SourceConfig source) {
    Properties props = new Properties();
    if (source.url().orElseThrow().startsWith("jdbc:mysql:")) {
      props.setProperty("permitMysqlScheme", "true");
    }
    return Jdbc.connect(source, props, SESSION);
  }

  /**
   * Refuses a MySQL server with a clear message: the planner's key collation (utf8mb4_nopad_bin) is
   * MariaDB's, and only MariaDB is tested.
   */
  static void requireMariaDb(Connection c, SourceConfig source) throws SQLException {
    String version = c.getMetaData().getDatabaseProductVersion();
    if (version == null || !version.contains("MariaDB")) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED,
          "source "
              + source.name()
              + ": planning: warehouse needs a MariaDB server (10.4 or later); this one reports"
              + " version "
              + version
              + " (MySQL is not supported yet); set planning: local on this source");
    }
  }

  /** A MariaDB identifier, quoted so any name reads as itself. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** A MariaDB string literal; backslashes escaped too, as the default sql_mode reads them. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** Whether the server refused for want of a privilege. */
  static boolean denied(SQLException e) {
    return DENIED.contains(e.getErrorCode());
  }

  /** Whether {@code table} exists in {@code database}. */
  static boolean tableExists(Connection c, String database, String table) throws SQLException {
    return Jdbc.exists(
        c,
        "select count(*) > 0 from information_schema.tables where table_schema = ? and table_name = ?",
        database,
        table);
  }

  /** Whether {@code database} exists (and the role may see it). */
  static boolean databaseExists(Connection c, String database) throws SQLException {
    return Jdbc.exists(
        c, "select count(*) > 0 from information_schema.schemata where schema_name = ?", database);
  }
}
