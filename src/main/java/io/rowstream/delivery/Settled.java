package io.rowstream.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * What one response settled: filled under the producer's lock, reported to the listener outside it.
 */
final class Settled<T> {
  /** Why a record was rejected. */
  record Reason(String code, String message) {}

  final List<T> acked = new ArrayList<>();
  final List<EntryResult> ackedResults = new ArrayList<>();
  final List<Pending<T>> rejected = new ArrayList<>();
  final List<Reason> reasons = new ArrayList<>();

  /** The buffer room the settled records free, overhead included. */
  long bytes;

  long count;

  void ack(Pending<T> e, EntryResult r) {
    acked.add(e.tag);
    ackedResults.add(r);
    settle(e);
  }

  void reject(Pending<T> e, String code, String message) {
    rejected.add(e);
    reasons.add(new Reason(code, message));
    settle(e);
  }

  private void settle(Pending<T> e) {
    bytes += e.size + Producer.ENTRY_OVERHEAD_BYTES;
    count++;
  }

  /** Tells the listener what was settled: outside the producer's lock, from a sending thread. */
  void reportTo(Producer.Listener<T> listener) {
    if (!acked.isEmpty()) {
      listener.acknowledged(acked, ackedResults);
    }
    for (int i = 0; i < rejected.size(); i++) {
      Reason reason = reasons.get(i);
      listener.rejected(rejected.get(i).tag, reason.code(), reason.message());
    }
  }
}
