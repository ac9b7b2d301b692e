package io.rowstream.store.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The SQL helpers of the DuckDB implementations: quoting, statements, messages. */
final class DuckDb {
  private DuckDb() {}

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing to do about it, and the next connection to close must still be closed
    }
  }

  static void execute(Connection on, String sql) throws SQLException {
    try (Statement s = on.createStatement()) {
      s.execute(sql);
    }
  }

  /** Names and types: a renamed column or a new type makes every row's JSON differ. */
  static String columnSignature(List<String> names, List<String> types) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < names.size(); c++) {
      b.append(c == 0 ? "" : ", ")
          .append(identifier(names.get(c)))
          .append(' ')
          .append(types.get(c));
    }
    return b.toString();
  }

  static String withoutTrailingSemicolons(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return q;
  }

  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
