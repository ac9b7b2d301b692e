package io.rowstream.history;

import static java.util.Objects.requireNonNull;

/** A row a run could not deliver, and why. The key is null for rows without a primary key. */
public record RejectedRow(String key, String event, String reason, String message) {
  public RejectedRow {
    requireNonNull(reason, "reason is null");
    requireNonNull(message, "message is null");
  }
}
