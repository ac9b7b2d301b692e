package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** The JDBC helpers both planner dialects (PostgreSQL, MariaDB/MySQL) share. */
final class Jdbc {
  private Jdbc() {}

  /**
   * Connects to {@code source} as its user, with {@code props} added, and runs {@code session} on
   * the new connection; autocommit on. Failures name the source, never its password.
   */
  static Connection connect(SourceConfig source, Properties props, List<String> session) {
    source.user().ifPresent(u -> props.setProperty("user", u));
    source.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    String url = source.url().orElseThrow();
    Connection c;
    try {
      c = DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_UNREACHABLE,
          "source "
              + source.name()
              + ": cannot connect to "
              + Redactor.SHAPES_ONLY.scrub(url)
              + ": "
              + describe(e),
          e);
    }
    try (Statement s = c.createStatement()) {
      for (String sql : session) {
        s.execute(sql);
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_UNREACHABLE,
          "source " + source.name() + ": cannot set up the planner's session: " + describe(e),
          e);
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long longOf(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** One line for a SQL error: the server's message without its stack or position details. */
  static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    return first.length() > 600 ? first.substring(0, 600) + "..." : first;
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after an error, or a connection the server already dropped
    }
  }
}
