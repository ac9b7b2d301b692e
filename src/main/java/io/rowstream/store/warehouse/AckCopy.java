package io.rowstream.store.warehouse;

import io.rowstream.state.Ack;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Appends acknowledged rows with one COPY (text format), which commits on its own: when it returns,
 * the rows are durable in the warehouse.
 */
final class AckCopy {
  private AckCopy() {}

  static void copy(Connection c, String table, List<Ack> acks) throws SQLException {
    StringBuilder text = new StringBuilder(acks.size() * 64);
    for (Ack ack : acks) {
      line(text, ack);
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

  /** One ack as a line of COPY's text format. */
  static StringBuilder line(StringBuilder text, Ack ack) {
    escape(text, ack.key()).append('\t').append(ack.type().label()).append('\t');
    if (ack.row() == null) {
      text.append("\\N\t\\N");
    } else {
      text.append(ack.fingerprint()).append('\t');
      escape(text, ack.row());
    }
    return text.append('\n');
  }

  /**
   * Streams any number of acks into one COPY, one transaction: for a baseline, which counts only
   * once it is whole. Memory stays at one buffer of lines.
   */
  static final class Stream implements AutoCloseable {
    private static final int FLUSH_CHARS = 1 << 20;

    private final CopyIn copy;
    private final boolean withOp;
    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);

    private Stream(Connection c, String table, boolean withOp) throws SQLException {
      this.withOp = withOp;
      this.copy =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "copy "
                      + table
                      + (withOp ? " (k, op, fp, row)" : " (k, fp, row, ki)")
                      + " from stdin");
    }

    /** Into {@code SYNC_acks}: key, op, fingerprint and row of each ack. */
    static Stream acks(Connection c, String table) throws SQLException {
      return new Stream(c, table, true);
    }

    /**
     * Straight into {@code SYNC_delivered}: key, fingerprint, row and the key as an integer (see
     * {@link Schema#INTEGER_KEY_OF_K}); only acks with a row.
     */
    static Stream delivered(Connection c, String table) throws SQLException {
      return new Stream(c, table, false);
    }

    void write(Ack ack) throws SQLException {
      if (withOp) {
        line(buffer, ack);
      } else {
        escape(buffer, ack.key()).append('\t').append(ack.fingerprint()).append('\t');
        escape(buffer, ack.row()).append('\t');
        String integer = integerKey(ack.key());
        buffer.append(integer == null ? "\\N" : integer).append('\n');
      }
      if (buffer.length() >= FLUSH_CHARS) {
        flush();
      }
    }

    private void flush() throws SQLException {
      byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      buffer.setLength(0);
    }

    /** Ends the COPY: the rows are committed. */
    void finish() throws SQLException {
      flush();
      copy.endCopy();
    }

    /** Abandons the COPY unless it was finished: nothing is written. */
    @Override
    public void close() throws SQLException {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /**
   * {@code key} when it is exactly how PostgreSQL prints a bigint (as {@link
   * Schema#INTEGER_KEY_OF_K} decides in SQL), else null.
   */
  static String integerKey(String key) {
    int start = key.startsWith("-") ? 1 : 0;
    if (key.length() == start || key.length() > 20) {
      return null;
    }
    for (int i = start; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch < '0' || ch > '9') {
        return null;
      }
    }
    try {
      return Long.toString(Long.parseLong(key)).equals(key) ? key : null;
    } catch (NumberFormatException e) {
      return null; // out of range
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
