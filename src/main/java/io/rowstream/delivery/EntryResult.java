package io.rowstream.delivery;

/**
 * The outcome of one record of a PutRecords request, matched by index: a shard and sequence number
 * when it was stored, else the AWS error code and message.
 */
public record EntryResult(
    String shardId, String sequenceNumber, String errorCode, String errorMessage) {
  public static EntryResult stored(String shardId, String sequenceNumber) {
    return new EntryResult(shardId, sequenceNumber, null, null);
  }

  public static EntryResult failed(String errorCode, String errorMessage) {
    return new EntryResult(
        null,
        null,
        errorCode == null ? "UnknownError" : errorCode,
        errorMessage == null ? "" : errorMessage);
  }

  public boolean ok() {
    return errorCode == null;
  }
}
