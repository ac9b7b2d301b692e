package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.EntryResult;
import java.util.Optional;

/**
 * One time a row's record was carried by an API call: the call, what Kinesis answered for that
 * record (empty when the whole call failed), its event and the record as sent, when kept.
 *
 * @param event the event label, or null when not known
 */
public record KeyInCall(
    StoredCall call,
    int index,
    Optional<EntryResult> result,
    String event,
    Optional<RecordData> record) {
  public KeyInCall {
    requireNonNull(call, "call is null");
    requireNonNull(result, "result is null");
    requireNonNull(record, "record is null");
  }

  public KeyInCall(StoredCall call, int index, Optional<EntryResult> result) {
    this(call, index, result, null, Optional.empty());
  }
}
