package io.rowstream.delivery;

import java.math.BigInteger;

/**
 * A submitted record that is not settled yet, with its sending history. Guarded by the producer's
 * lock, like everything that reads or writes it.
 */
final class Pending<T> {
  final OutboundRecord record;
  final T tag;
  final int size;
  final BigInteger hashKey;

  /** Attempts that count against {@code maxAttempts}: outages and invalid requests do not. */
  int attempts;

  /** Every time the record went out, for the call record. */
  int sends;

  long lastSent;

  /** When the record's first request without a real answer went out; -1 while it is answered. */
  long outageSince = -1;

  int outageAttempts;
  long notBefore;
  long retryOrder;
  Lane lane;

  Pending(OutboundRecord record, T tag) {
    this.record = record;
    this.tag = tag;
    this.size = record.size();
    this.hashKey = ShardMap.hashKey(record);
  }
}
