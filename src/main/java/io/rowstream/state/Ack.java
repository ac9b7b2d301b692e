package io.rowstream.state;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.EventType;

/**
 * A row whose event Kinesis acknowledged (or that needed no record): its state may advance. For
 * removed events {@code row} is null, and the key leaves the delivered state; for the others {@code
 * fingerprint} is recorded with the row.
 */
public record Ack(EventType type, String key, String row, long fingerprint) {
  public Ack {
    requireNonNull(type, "type is null");
    requireNonNull(key, "key is null");
    if ((type == EventType.REMOVED) != (row == null)) {
      throw new IllegalArgumentException("a removed row has no values; other rows do");
    }
  }
}
