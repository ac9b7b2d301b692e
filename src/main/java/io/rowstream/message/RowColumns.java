package io.rowstream.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns of a row's JSON text (an object, as the source encodes it): each value as its exact
 * text, so numbers such as -0.0 or 2.50 reach the record as the source wrote them, with the first
 * encoding rule it breaks ({@link JsonWalk}).
 */
final class RowColumns {
  /** One column: its value's JSON text, where it starts in the row, and its fault or null. */
  record Column(String name, String json, long start, JsonWalk.Fault fault) {
    /** "column 'c': what at PATH (character N of the value)". */
    String describe() {
      return "column '" + name + "': " + fault.atOffset(start);
    }
  }

  private final Map<String, Column> columns;

  private RowColumns(Map<String, Column> columns) {
    this.columns = columns;
  }

  static RowColumns of(String row) throws IOException {
    Map<String, Column> columns = new LinkedHashMap<>();
    try (JsonParser p = JsonWalk.parser(row)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the row is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        JsonWalk.Fault fault = JsonWalk.walk(p, null);
        int end = (int) p.currentLocation().getCharOffset();
        columns.put(name, new Column(name, row.substring(start, end), start, fault));
      }
    }
    return new RowColumns(columns);
  }

  /**
   * The first column of the row that breaks an encoding rule, or null. Rows without nested objects
   * or escapes, the common case, are cleared without parsing: the source writes lone surrogates as
   * escapes, and only nested objects can repeat a key.
   */
  static Column firstFault(String row) throws IOException {
    if (row.indexOf('{', 1) < 0 && row.indexOf("\\u") < 0) {
      return null;
    }
    for (Column c : of(row).columns.values()) {
      if (c.fault() != null) {
        return c;
      }
    }
    return null;
  }

  /** The column of this name, or null when the row has none. */
  Column get(String name) {
    return columns.get(name);
  }
}
