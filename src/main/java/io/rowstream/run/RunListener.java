package io.rowstream.run;

import io.rowstream.delivery.EntryResult;
import io.rowstream.history.RejectedRow;
import io.rowstream.plan.PlannedEvent;
import java.util.List;

/**
 * Hears each row's outcome while a run delivers: the rows Kinesis stored, with shard and sequence
 * number, and the rows rejected, with the reason. Called from the run's threads, the sending ones
 * included, as the outcomes happen (never for a dry run); an implementation must be thread-safe,
 * quick, must not throw and must not hold the rows (a run may have millions).
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** Kinesis stored these events' records; {@code results} match {@code events} by index. */
  default void sent(List<PlannedEvent> events, List<EntryResult> results) {}

  /** These rows were rejected (invalid, or refused by Kinesis); messages are redacted. */
  default void rejected(List<RejectedRow> rows) {}
}
