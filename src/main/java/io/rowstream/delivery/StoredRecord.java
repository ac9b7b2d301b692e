package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

/** One record as it sits on a shard, as GetRecords returns it. */
public record StoredRecord(String sequenceNumber, String partitionKey, byte[] data) {
  public StoredRecord {
    requireNonNull(sequenceNumber, "sequenceNumber is null");
    requireNonNull(partitionKey, "partitionKey is null");
    requireNonNull(data, "data is null");
  }
}
