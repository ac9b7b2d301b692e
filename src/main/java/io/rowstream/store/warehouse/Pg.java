package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Connections to a PostgreSQL source for the planner; {@link Jdbc} has the helpers of both
 * dialects.
 */
final class Pg {
  /**
   * Memory for the plan's hash aggregate and hash join, per node, in the warehouse (PostgreSQL
   * spills past it): enough to keep 10M keys' hash tables in a few batches.
   */
  static final String PLAN_WORK_MEM = "256MB";

  /**
   * Session settings that fix how a row prints as text, so its fingerprint depends only on its
   * values: dates, intervals and zones as ISO and UTC, floats printed exactly, bytea as hex.
   */
  static final List<String> SESSION =
      List.of(
          "set datestyle = 'ISO, YMD'",
          "set intervalstyle = 'postgres'",
          "set timezone = 'UTC'",
          "set extra_float_digits = 3",
          "set bytea_output = 'hex'",
          "set work_mem = '" + PLAN_WORK_MEM + "'");

  private Pg() {}

  /** Connects to the source with the planner's session settings; autocommit on. */
  static Connection connect(SourceConfig source) {
    Properties props = new Properties();
    props.setProperty("ApplicationName", "rowstream planner");
    return Jdbc.connect(source, props, SESSION);
  }

  /** Whether the relation named (quoted, qualified) exists. */
  static boolean tableExists(Connection c, String qualifiedName) throws SQLException {
    return Jdbc.exists(c, "select to_regclass(?) is not null", qualifiedName);
  }

  /** Whether PostgreSQL refused for want of a privilege (SQLSTATE 42501). */
  static boolean denied(SQLException e) {
    return "42501".equals(e.getSQLState());
  }
}
