package io.rowstream.state;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.EventType;

/**
 * One row's change. {@code row} is what a record is built from: the model's row for added and
 * changed, the last delivered row for removed.
 */
public record PlannedEvent(EventType type, String key, String row) {
  public PlannedEvent {
    requireNonNull(type, "type is null");
    requireNonNull(key, "key is null");
    requireNonNull(row, "row is null");
  }
}
