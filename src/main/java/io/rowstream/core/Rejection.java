package io.rowstream.core;

/**
 * Reason codes for rows that a run could not deliver, taken from {@link ErrorCode} so that a
 * rejection and an error are named alike everywhere. A rejected row keeps its last delivered state,
 * so the next run plans it again with its latest values. A record Kinesis refused keeps Kinesis'
 * own error code (e.g. {@code ProvisionedThroughputExceededException}) as its reason.
 */
public final class Rejection {
  public static final String NULL_PRIMARY_KEY = ErrorCode.NULL_PRIMARY_KEY.code();
  public static final String DUPLICATE_PRIMARY_KEY = ErrorCode.DUPLICATE_PRIMARY_KEY.code();
  public static final String RECORD_TOO_LARGE = ErrorCode.RECORD_TOO_LARGE.code();
  public static final String INVALID_PARTITION_KEY = ErrorCode.INVALID_PARTITION_KEY.code();
  public static final String INVALID_EXPLICIT_HASH_KEY = ErrorCode.INVALID_EXPLICIT_HASH_KEY.code();
  public static final String INVALID_JSON = ErrorCode.INVALID_JSON.code();
  public static final String INVALID_TEXT = ErrorCode.INVALID_TEXT.code();
  public static final String TEMPLATE_ERROR = ErrorCode.TEMPLATE_ERROR.code();
  public static final String MISSING_COLUMN = ErrorCode.MISSING_COLUMN.code();

  private Rejection() {}
}
