package io.rowstream.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.rowstream.core.Rejection;
import io.rowstream.message.MessageRenderer.Compacted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code message.column} and {@code message.columns} modes: the record is built from the
 * values' exact text in the row, so a number keeps its form (-0.0, 2.50) and every value keeps the
 * encoding rules of {@link JsonWalk} or the row is rejected.
 */
final class ColumnMessages {
  private ColumnMessages() {}

  /**
   * The JSON document one column holds: a json/jsonb column's value as is, or a text column's text,
   * which must be exactly one JSON value without repeated keys or lone surrogates.
   */
  static Compacted column(RowColumns row, String name) throws IOException {
    RowColumns.Column c = row.get(name);
    if (c == null) {
      return missing(name);
    }
    if (c.fault() != null) {
      return Compacted.invalid(c.fault().reason(), c.describe());
    }
    String json = c.json();
    if (json.equals("null")) {
      return Compacted.invalid(
          Rejection.INVALID_JSON,
          "column '" + name + "' is null; it must hold the JSON document to send");
    }
    if (json.charAt(0) != '"') {
      return Compacted.of(json.getBytes(StandardCharsets.UTF_8));
    }
    String text;
    try (JsonParser p = JsonWalk.parser(json)) {
      p.nextToken();
      text = p.getText();
    }
    Compacted doc = MessageRenderer.compact(text);
    if (doc.data() == null) {
      return Compacted.invalid(
          doc.reason(),
          "column '"
              + name
              + "' does not hold exactly one JSON value"
              + " without repeated keys: "
              + doc.problem()
              + " of its text");
    }
    return doc;
  }

  /** An object of the named columns' values, under the names the config gives them. */
  static Compacted columns(RowColumns row, Map<String, String> mapping) {
    StringBuilder out = new StringBuilder(256).append('{');
    for (Map.Entry<String, String> entry : mapping.entrySet()) {
      RowColumns.Column c = row.get(entry.getValue());
      if (c == null) {
        return missing(entry.getValue());
      }
      if (c.fault() != null) {
        return Compacted.invalid(c.fault().reason(), c.describe());
      }
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"')
          .append(JsonStringEncoder.getInstance().quoteAsString(entry.getKey()))
          .append("\":")
          .append(c.json());
    }
    return Compacted.of(out.append('}').toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Compacted missing(String name) {
    return Compacted.invalid(Rejection.MISSING_COLUMN, "the row has no column " + name);
  }
}
