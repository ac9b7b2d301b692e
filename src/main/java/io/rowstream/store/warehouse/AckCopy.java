package io.rowstream.store.warehouse;

import io.rowstream.state.Ack;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Appends acknowledged rows with one COPY (text format), which commits on its own: when it returns,
 * the rows are durable in the warehouse.
 */
final class AckCopy {
  private AckCopy() {}

  static void copy(Connection c, String table, List<Ack> acks) throws SQLException {
    StringBuilder text = new StringBuilder(acks.size() * 64);
    for (Ack ack : acks) {
      escape(text, ack.key()).append('\t').append(ack.type().label()).append('\t');
      if (ack.row() == null) {
        text.append("\\N\t\\N");
      } else {
        text.append(ack.fingerprint()).append('\t');
        escape(text, ack.row());
      }
      text.append('\n');
    }
    try {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "copy " + table + " (k, op, fp, row) from stdin", new StringReader(text.toString()));
    } catch (IOException e) {
      throw new SQLException("writing acknowledged rows: " + e.getMessage(), e);
    }
  }

  /** COPY's text format: backslash, tab, newline and carriage return escaped. */
  static StringBuilder escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out;
  }
}
