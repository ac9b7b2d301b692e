package io.rowstream.plan;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.EventType;
import io.rowstream.state.Ack;

/**
 * One row's change. {@code row} is what a record is built from: the model's row for added and
 * changed, the last delivered row for removed. {@code fingerprint} is what the delivered state
 * records for the row once the event is acknowledged, in the planner's fingerprint scheme.
 */
public record PlannedEvent(EventType type, String key, String row, long fingerprint) {
  public PlannedEvent {
    requireNonNull(type, "type is null");
    requireNonNull(key, "key is null");
    requireNonNull(row, "row is null");
  }

  /** An event built outside a plan (previews, tests): fingerprinted from the row's text. */
  public PlannedEvent(EventType type, String key, String row) {
    this(type, key, row, RowHash.of(requireNonNull(row, "row is null")));
  }

  /** This event as acknowledged: the delivered state may advance to it. */
  public Ack ack() {
    return type == EventType.REMOVED
        ? new Ack(type, key, null, 0L)
        : new Ack(type, key, row, fingerprint);
  }
}
