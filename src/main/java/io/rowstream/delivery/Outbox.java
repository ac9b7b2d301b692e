package io.rowstream.delivery;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What the dispatcher sends next: the halves of requests refused as invalid first, then batches of
 * retries that are due and new records, as their shards' pace allows. Not thread-safe: the producer
 * uses it under its lock.
 */
final class Outbox<T> {
  private static final long MIN_WAIT_NANOS = 200_000;
  private static final long MAX_WAIT_NANOS = 1_000_000_000;

  private final ShardQueues<T> queues;
  private final RetrySchedule<T> retries;

  /** Halves of requests refused as invalid, sent before new batches. */
  private final ArrayDeque<List<Pending<T>>> splits = new ArrayDeque<>();

  Outbox(ShardQueues<T> queues, RetrySchedule<T> retries) {
    this.queues = queues;
    this.retries = retries;
  }

  /** Queues a submitted record; true when its shard may send now (the dispatcher should look). */
  boolean submit(Pending<T> entry) {
    return queues.place(entry, false);
  }

  /** Halves to send before new batches. */
  void split(List<List<Pending<T>>> halves) {
    splits.addAll(halves);
  }

  /**
   * The next request to send at {@code now}, or null for none yet. {@code slot}: a request may go
   * out; {@code finishing}: no more records come, so a batch need not be full.
   */
  List<Pending<T>> next(long now, boolean slot, boolean finishing) {
    if (!retries.isEmpty() && retries.nextDue() <= now) {
      List<Pending<T>> due = retries.takeDue(now);
      // retries go first, in the order they were sent
      for (int i = due.size() - 1; i >= 0; i--) {
        queues.place(due.get(i), true);
      }
    }
    if (slot && !splits.isEmpty()) {
      return splits.poll();
    }
    queues.fill(now);
    if (slot && queues.batchReady(now, finishing)) {
      return queues.takeBatch();
    }
    return null;
  }

  /** How long the dispatcher may wait, after {@link #next} gave nothing, before looking again. */
  long waitNanos(long now, boolean slot) {
    long wait = queues.nanosUntilReady(now, slot, MAX_WAIT_NANOS);
    if (!retries.isEmpty()) {
      wait = Math.min(wait, retries.nextDue() - now);
    }
    return Math.max(MIN_WAIT_NANOS, wait);
  }
}
