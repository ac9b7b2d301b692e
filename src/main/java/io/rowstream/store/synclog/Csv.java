package io.rowstream.store.synclog;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The spool's CSV, as PostgreSQL's {@code COPY ... (FORMAT csv)} reads it: a NULL is an empty
 * unquoted field, an empty text is {@code ""}, and a field holding a comma, a quote or a line break
 * is quoted with its quotes doubled.
 */
final class Csv {
  private Csv() {}

  static void writeRecord(Writer out, String... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      writeField(out, fields[i]);
    }
    out.write('\n');
  }

  private static void writeField(Writer out, String value) throws IOException {
    if (value == null) {
      return;
    }
    // PostgreSQL text cannot hold NUL
    value = value.replace('\0', '\uFFFD');
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r' || c == '\\';
    }
    if (!quote) {
      out.write(value);
      return;
    }
    out.write('"');
    out.write(value.replace("\"", "\"\""));
    out.write('"');
  }

  /** Reads the spool's records one at a time, quoted line breaks included. */
  static final class RecordReader {
    private final Reader in;
    private final StringBuilder field = new StringBuilder();

    RecordReader(Reader in) {
      this.in = in;
    }

    /** The next record (null for a NULL field), or null at the end of the file. */
    List<String> next() throws IOException {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      List<String> record = new ArrayList<>();
      while (true) {
        field.setLength(0);
        boolean quoted = false;
        if (c == '"') {
          quoted = true;
          while (true) {
            c = in.read();
            if (c < 0) {
              throw new IOException("the spool ends inside a quoted field");
            }
            if (c == '"') {
              c = in.read();
              if (c != '"') {
                break;
              }
            }
            field.append((char) c);
          }
        } else {
          while (c >= 0 && c != ',' && c != '\n') {
            field.append((char) c);
            c = in.read();
          }
        }
        record.add(quoted || field.length() > 0 ? field.toString() : null);
        if (c == ',') {
          c = in.read();
          continue;
        }
        if (c == '\n' || c < 0) {
          return record;
        }
        throw new IOException("unexpected character after a quoted field: " + (char) c);
      }
    }
  }
}
