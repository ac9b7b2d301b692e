package io.rowstream.source;

import java.sql.SQLException;

/** One line for a SQL error: the driver's message without its stack. */
final class SqlErrors {
  private SqlErrors() {}

  static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int newline = message.indexOf('\n');
    String first =
        newline < 0
            ? message
            : message.substring(0, newline)
                + " "
                + message.substring(newline + 1).strip().replace('\n', ' ');
    return first.length() > 600 ? first.substring(0, 600) + "..." : first;
  }
}
