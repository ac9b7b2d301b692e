package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A record as a call sent it, kept for the debugger: its partition key, explicit hash key and data.
 * Stored text is scrubbed of the config's secrets; the data is cut to the history's bound per
 * record ({@code truncated} then says so, and {@code bytes} is the size it had).
 *
 * @param bytes the size of the data as sent, in bytes
 */
public record RecordData(
    String partitionKey,
    Optional<String> explicitHashKey,
    String data,
    int bytes,
    boolean truncated) {
  public RecordData {
    requireNonNull(partitionKey, "partitionKey is null");
    requireNonNull(explicitHashKey, "explicitHashKey is null");
    requireNonNull(data, "data is null");
  }
}
