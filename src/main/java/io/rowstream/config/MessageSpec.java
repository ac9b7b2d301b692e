package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a row becomes a record's data: exactly one of template, column, or columns. */
public record MessageSpec(Mode mode, String template, String column, Map<String, String> columns) {

  /** The three ways to build a message. */
  public enum Mode {
    TEMPLATE,
    COLUMN,
    COLUMNS
  }

  public MessageSpec {
    requireNonNull(mode, "mode is null");
    columns =
        columns == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** Every column of the row, under its own name: the default. */
  public static MessageSpec allColumns() {
    return new MessageSpec(Mode.COLUMNS, null, null, Map.of());
  }

  public static MessageSpec column(String column) {
    return new MessageSpec(Mode.COLUMN, null, requireNonNull(column, "column is null"), Map.of());
  }

  /** key in the message to column of the row, in order; empty means all columns. */
  public static MessageSpec columns(Map<String, String> keyToColumn) {
    return new MessageSpec(Mode.COLUMNS, null, null, keyToColumn);
  }
}
