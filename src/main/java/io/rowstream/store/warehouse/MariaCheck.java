package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.store.warehouse.WarehouseCheck.Finding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link WarehouseCheck} for a MariaDB or MySQL source: whether the configured user holds, on the
 * planner database, every privilege a run needs, read from information_schema (the user's global
 * and database grants); it writes nothing. One grant on the database covers everything, the
 * temporary plan included (it is kept there).
 */
final class MariaCheck {
  /** What a run does in the planner database: create it and its tables, write them, plan. */
  static final List<String> NEEDED =
      List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "CREATE TEMPORARY TABLES");

  private MariaCheck() {}

  static List<Finding> run(SourceConfig source) {
    List<Finding> findings = new ArrayList<>();
    Connection c;
    try {
      c = MariaDb.connect(source);
    } catch (RowstreamException e) {
      findings.add(new Finding("connect", false, e.getMessage()));
      return findings;
    }
    String database = source.planning().schema();
    try (c) {
      try {
        MariaDb.requireMariaDb(c, source);
      } catch (RowstreamException e) {
        findings.add(new Finding("server", false, e.getMessage()));
        return findings;
      }
      String user = text(c, "select current_user()");
      String current = text(c, "select coalesce(database(), '(none)')");
      findings.add(new Finding("connect", true, "as " + user + " to database " + current));
      String grantee = grantee(user);
      Set<String> held = privileges(c, grantee, database);
      List<String> missing = new ArrayList<>();
      boolean all = held.contains("ALL PRIVILEGES");
      for (String privilege : NEEDED) {
        if (!all && !held.contains(privilege)) {
          missing.add(privilege);
        }
      }
      boolean exists = MariaDb.databaseExists(c, database);
      if (missing.isEmpty()) {
        findings.add(
            new Finding(
                "planner database",
                true,
                database
                    + (exists ? " exists" : " does not exist yet; the first run creates it")
                    + "; "
                    + user
                    + " may create and write its tables"));
      } else {
        findings.add(
            new Finding(
                "planner database",
                false,
                database
                    + (exists ? " exists but " : " does not exist and ")
                    + user
                    + " lacks "
                    + String.join(", ", missing)
                    + " on it: GRANT "
                    + String.join(", ", missing)
                    + " ON "
                    + MariaDb.quote(database)
                    + ".* TO "
                    + grantee
                    + ";"));
      }
    } catch (SQLException e) {
      findings.add(new Finding("privileges", false, "cannot be read: " + Jdbc.describe(e)));
    }
    return findings;
  }

  /** {@code user@host} as information_schema and GRANT name it: {@code 'user'@'host'}. */
  static String grantee(String currentUser) {
    int at = currentUser.lastIndexOf('@');
    String user = at < 0 ? currentUser : currentUser.substring(0, at);
    String host = at < 0 ? "%" : currentUser.substring(at + 1);
    return "'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
  }

  /** The privileges {@code grantee} holds on {@code database}: global ones and the database's. */
  private static Set<String> privileges(Connection c, String grantee, String database)
      throws SQLException {
    Set<String> held = new LinkedHashSet<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select privilege_type from information_schema.user_privileges where grantee = ?"
                + " union select privilege_type from information_schema.schema_privileges"
                + " where grantee = ? and ? like table_schema")) {
      s.setString(1, grantee);
      s.setString(2, grantee);
      s.setString(3, database);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
    }
    return held;
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
