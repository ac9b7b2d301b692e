package io.rowstream.core;

/**
 * Reason codes for rows that a run could not deliver. A rejected row keeps its last delivered
 * state, so the next run plans it again with its latest values.
 */
public final class Rejection {
  public static final String NULL_PRIMARY_KEY = "null_primary_key";
  public static final String DUPLICATE_PRIMARY_KEY = "duplicate_primary_key";
  public static final String RECORD_TOO_LARGE = "record_too_large";
  public static final String INVALID_PARTITION_KEY = "invalid_partition_key";
  public static final String INVALID_EXPLICIT_HASH_KEY = "invalid_explicit_hash_key";
  public static final String INVALID_JSON = "invalid_json";
  public static final String INVALID_TEXT = "invalid_text";
  public static final String TEMPLATE_ERROR = "template_error";
  public static final String MISSING_COLUMN = "missing_column";

  private Rejection() {}
}
