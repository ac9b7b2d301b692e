package io.rowstream.store.duckdb;

import io.rowstream.plan.RowHash;

/**
 * The schemes of the fingerprints a {@link DuckDbState} delivers: the one stored in table meta
 * (under {@link #FINGERPRINT_KEY}) says which path computed them, and a plan whose scheme differs
 * compares every row anew.
 */
final class FingerprintScheme {
  /** The fingerprint of the row-text path: {@link RowHash} of the row's typed JSON. */
  static final String JAVA_SCHEME = "java-rowhash-v1";

  /**
   * The fingerprint of the in-place path: DuckDB's {@code hash()} of the column values; the stored
   * scheme also names the DuckDB version and the query's columns and types. Bump the version when
   * the typed JSON of unchanged values changes.
   */
  static final String DUCKDB_SCHEME =
      "duckdb-hash-v2"; // v2: BC and 1582 dates, infinities, -0.0 encoded anew

  /** The meta key that records the scheme of the delivered fingerprints. */
  static final String FINGERPRINT_KEY = "fingerprint";

  private FingerprintScheme() {}
}
