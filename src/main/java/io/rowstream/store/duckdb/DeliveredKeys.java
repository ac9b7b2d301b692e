package io.rowstream.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The delivered keys as integers: column {@code ki} of table delivered holds the integer whose text
 * is the key, for every key an integer key column prints ({@code 42}, {@code -7}), and NULL for any
 * other ({@code 007}, {@code a-b}, a uuid). A model whose key column is an integer type is then
 * joined with the delivered rows on integers: DuckDB hashes and compares 8-byte values instead of
 * strings, and no model key becomes text unless its row is sent. Joining on {@code ki} finds
 * exactly the rows joining on the text would, since a key whose text is not an integer's is NULL
 * there. Measured: BENCHMARKS.md, "Incremental run".
 */
final class DeliveredKeys {
  /**
   * Key column types whose values fit {@code ki}: their text is the key as the encoder writes it.
   */
  private static final Set<String> INTEGER_TYPES =
      Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER");

  private DeliveredKeys() {}

  /** The integer of key text {@code pk} (an SQL expression), or NULL when it prints otherwise. */
  static String integerOf(String pk) {
    return "case when cast(try_cast("
        + pk
        + " as bigint) as varchar) = "
        + pk
        + " then try_cast("
        + pk
        + " as bigint) end";
  }

  /** Whether a key column of DuckDB type {@code type} is joined on {@code ki}. */
  static boolean joinsAsInteger(String type) {
    return INTEGER_TYPES.contains(type.toUpperCase(Locale.ROOT));
  }

  /**
   * Adds {@code ki} to the delivered table of a state written before it had one, and fills it: once
   * per state file, in one transaction (about 0.5 s for 10M rows).
   */
  static List<String> migration() {
    return List.of(
        "alter table delivered add column ki bigint",
        "update delivered set ki = " + integerOf("pk"));
  }

  /**
   * Whether the delivered table in {@code catalog} has {@code ki} (a state opened read-only may
   * not).
   */
  static boolean present(Connection on, String catalog) throws SQLException {
    try (PreparedStatement s =
        on.prepareStatement(
            "select count(*) from duckdb_columns() where database_name = ? and schema_name = 'main'"
                + " and table_name = 'delivered' and column_name = 'ki'")) {
      s.setString(1, catalog);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
