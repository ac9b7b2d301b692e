package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Where a sync's log is written after each run: a configured PostgreSQL or DuckDB source, and the
 * schema there that holds the log's tables.
 */
public record SyncLogConfig(String source, String schema) {
  /** The schema the log's tables go to unless {@code schema:} names another. */
  public static final String DEFAULT_SCHEMA = "rowstream_audit";

  /** An unquoted SQL identifier, so the same name works in PostgreSQL and DuckDB. */
  static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  public SyncLogConfig {
    requireNonNull(source, "source is null");
    requireNonNull(schema, "schema is null");
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("'" + schema + "' is not a schema name");
    }
  }
}
