package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.EntryResult;
import java.util.Optional;

/**
 * One record of a call's request: the row it stood for, what Kinesis answered for it (empty when
 * the whole call failed) and the record as sent, when the history kept it.
 *
 * @param event the event label, or null when not known
 */
public record CallEntry(
    int index,
    String key,
    String event,
    Optional<EntryResult> result,
    Optional<RecordData> record) {
  public CallEntry {
    requireNonNull(key, "key is null");
    requireNonNull(result, "result is null");
    requireNonNull(record, "record is null");
  }
}
