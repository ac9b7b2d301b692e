package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.plan.RowHash;
import java.nio.charset.StandardCharsets;

/**
 * The names of one sync's tables in the planner schema: {@code SYNC_delivered} (key, fingerprint,
 * delivered JSON), {@code SYNC_acks} (acknowledgements not yet folded in) and {@code SYNC_meta}.
 * Every name is quoted; a sync name too long for PostgreSQL's 63-byte identifiers is cut and
 * suffixed with a hash of the whole name, so two syncs never share a table.
 */
record PlannerTables(String schema, String sync) {
  /** PostgreSQL's longest identifier, in bytes. */
  private static final int MAX_IDENTIFIER = 63;

  private static final String LONGEST_SUFFIX = "_delivered";

  PlannerTables {
    requireNonNull(schema, "schema is null");
    requireNonNull(sync, "sync is null");
  }

  String schemaSql() {
    return quote(schema);
  }

  String delivered() {
    return qualified("delivered");
  }

  String acks() {
    return qualified("acks");
  }

  String meta() {
    return qualified("meta");
  }

  /** The unquoted table name of {@code suffix}, as the catalog holds it. */
  String name(String suffix) {
    return base() + "_" + suffix;
  }

  /** The key of the session advisory lock that is the sync's lease. */
  long leaseKey() {
    return RowHash.of("rowstream planner lease " + schema + "." + sync);
  }

  private String qualified(String suffix) {
    return quote(schema) + "." + quote(name(suffix));
  }

  private String base() {
    if (sync.getBytes(StandardCharsets.UTF_8).length + LONGEST_SUFFIX.length() <= MAX_IDENTIFIER) {
      return sync;
    }
    return sync.substring(0, 36) + "_" + Long.toHexString(RowHash.of(sync));
  }

  /** A PostgreSQL identifier, quoted so any name reads as itself. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A PostgreSQL string literal (standard_conforming_strings is on since 9.1). */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
