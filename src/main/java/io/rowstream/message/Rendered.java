package io.rowstream.message;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A row turned into a record, or the reason it could not be. */
public sealed interface Rendered {
  /** Data is UTF-8 JSON; the explicit hash key is absent unless the sync sets one. */
  record Record(byte[] data, String partitionKey, Optional<String> explicitHashKey) implements Rendered {
    public Record {
      requireNonNull(data, "data is null");
      requireNonNull(partitionKey, "partitionKey is null");
      requireNonNull(explicitHashKey, "explicitHashKey is null");
    }

    /** What counts against the record size limit: data plus partition key bytes. */
    public int size() {
      return data.length + partitionKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
  }

  /** {@code reason} is a code from {@link io.rowstream.core.Rejection}. */
  record Invalid(String reason, String message) implements Rendered {
    public Invalid {
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
    }
  }
}
