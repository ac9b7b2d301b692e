package io.rowstream.store.duckdb;

import io.rowstream.source.KeyColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL text both in-place planners share, so a row streamed and a row staged take the same
 * fingerprint: the key as text, and DuckDB's {@code hash()} of the column values.
 */
record InPlaceSql(List<String> names, List<String> types, int key) {
  InPlaceSql {
    names = List.copyOf(names);
    types = List.copyOf(types);
  }

  /** Primary key types whose SQL text (cast as varchar) is the text the row encoder writes. */
  static final Set<String> KEY_TYPES =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT",
          "VARCHAR",
          "UUID");

  /**
   * The query's columns, when it can be planned in place: empty when the key is not among them,
   * names repeat, or the key's SQL text is not the encoder's (the row-text path reports or plans
   * these).
   */
  static Optional<InPlaceSql> describe(Connection on, String sql, String primaryKey)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (PreparedStatement p = on.prepareStatement(sql)) {
      ResultSetMetaData md = p.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        names.add(md.getColumnLabel(c));
        types.add(md.getColumnTypeName(c));
      }
    }
    int key = KeyColumn.indexIn(names, primaryKey);
    if (key < 0
        || new HashSet<>(names).size() != names.size()
        || !KEY_TYPES.contains(types.get(key).toUpperCase(Locale.ROOT))) {
      return Optional.empty();
    }
    return Optional.of(new InPlaceSql(names, types, key));
  }

  /** The primary key as text, of the query aliased {@code q}. */
  String keyText() {
    return "cast(" + keyColumn() + " as varchar)";
  }

  /** The primary key column, of the query aliased {@code q}. */
  String keyColumn() {
    return "q." + DuckDb.identifier(names.get(key));
  }

  /**
   * The fingerprint of a row of the query aliased {@code q}: DuckDB's hash is an unsigned 64-bit
   * value; 63 of its bits fit the state's bigint column.
   */
  String hash() {
    StringBuilder values = new StringBuilder();
    for (int c = 0; c < names.size(); c++) {
      String column = "q." + DuckDb.identifier(names.get(c));
      values.append(c == 0 ? "" : ", ").append(column);
      if (types.get(c).equalsIgnoreCase("DOUBLE") || types.get(c).equalsIgnoreCase("FLOAT")) {
        // hash() takes -0.0 for 0.0; their JSON differs
        values.append(", signbit(").append(column).append(')');
      }
    }
    return "cast(hash(" + values + ") >> 1 as bigint)";
  }
}
