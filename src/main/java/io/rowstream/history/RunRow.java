package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.EntryResult;
import java.util.Optional;

/**
 * One row of a run as the debugger lists it.
 *
 * @param key the primary key; null for a rejected row without one
 * @param event the event label, or null when not known
 * @param callSeq the call that stored it ({@link RowOutcome#SUCCESSFUL}), else 0
 * @param stored its shard and sequence number ({@link RowOutcome#SUCCESSFUL}), when the listing
 *     reads them; may be empty (a key search, {@link HistoryReader#callsCarrying}, always has them)
 * @param rejection its reason and message ({@link RowOutcome#REJECTED})
 */
public record RunRow(
    String key,
    String event,
    RowOutcome outcome,
    long callSeq,
    Optional<EntryResult> stored,
    Optional<RejectedRow> rejection) {
  public RunRow {
    requireNonNull(outcome, "outcome is null");
    requireNonNull(stored, "stored is null");
    requireNonNull(rejection, "rejection is null");
  }
}
