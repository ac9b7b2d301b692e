package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One record as PutRecords takes it. */
public record OutboundRecord(byte[] data, String partitionKey, Optional<String> explicitHashKey) {
  public OutboundRecord {
    requireNonNull(data, "data is null");
    requireNonNull(partitionKey, "partitionKey is null");
    requireNonNull(explicitHashKey, "explicitHashKey is null");
  }

  /** What counts against the 5 MiB request limit: data plus partition key bytes. */
  public int size() {
    return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
  }
}
