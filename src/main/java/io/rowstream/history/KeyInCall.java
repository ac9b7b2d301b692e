package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.EntryResult;
import java.util.Optional;

/**
 * One time a row's record was carried by an API call: the call, and what Kinesis answered for that
 * record (empty when the whole call failed).
 */
public record KeyInCall(StoredCall call, int index, Optional<EntryResult> result) {
  public KeyInCall {
    requireNonNull(call, "call is null");
    requireNonNull(result, "result is null");
  }
}
