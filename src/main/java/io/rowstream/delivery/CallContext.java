package io.rowstream.delivery;

import java.util.List;

/**
 * What the call record needs of a PutRecords request that the records themselves do not carry.
 *
 * @param attempt 1 for the first try of these records, 2 for the first retry, ...
 * @param keys the primary key of the row of each record, in the order sent; empty when unknown
 * @param events the event each record stands for ({@code added}, ...), in the order sent, so the
 *     call record keeps the records themselves for the debugger; empty to keep none
 */
public record CallContext(int attempt, List<String> keys, List<String> events) {
  /** A first attempt whose rows are not known. */
  public static final CallContext NONE = new CallContext(1, List.of(), List.of());

  public CallContext {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    keys = List.copyOf(keys);
    events = List.copyOf(events);
  }

  /** A call whose records are not kept in its record. */
  public CallContext(int attempt, List<String> keys) {
    this(attempt, keys, List.of());
  }
}
