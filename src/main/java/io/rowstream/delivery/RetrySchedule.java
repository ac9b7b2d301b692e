package io.rowstream.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When records are sent again: a jittered exponential backoff, bounded per record by {@code
 * maxAttempts} and per run by the retry budget. Records due together go out in the order they were
 * scheduled. Not thread-safe: the producer calls it under its lock.
 */
final class RetrySchedule<T> {
  private final ProducerSettings settings;
  private final PriorityQueue<Pending<T>> waiting =
      new PriorityQueue<>(
          Comparator.<Pending<T>>comparingLong(e -> e.notBefore)
              .thenComparingLong(e -> e.retryOrder));
  private long order;

  /** Retried attempts so far, against the run's budget. */
  private long retried;

  RetrySchedule(ProducerSettings settings) {
    this.settings = settings;
  }

  /** Sends {@code e} again once {@code at} (System.nanoTime) has come. */
  void later(Pending<T> e, long at) {
    e.notBefore = at;
    e.retryOrder = ++order;
    waiting.add(e);
  }

  /**
   * Schedules one more attempt when the record's attempts and the run's budget allow, else says why
   * not.
   *
   * @return {@code null} when scheduled, else what ended the retries, to append to the reason
   */
  String retryOrWhyNot(Pending<T> e, long submitted, long at) {
    long allowance = settings.retryAllowance(submitted);
    if (e.attempts < settings.maxAttempts() && retried < allowance) {
      retried++;
      later(e, at);
      return null;
    }
    return e.attempts >= settings.maxAttempts()
        ? " (gave up after " + e.attempts + " attempts)"
        : " (the run's retry budget of " + allowance + " retried attempts is spent)";
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** When the next retry is due; only when not {@link #isEmpty()}. */
  long nextDue() {
    return waiting.peek().notBefore;
  }

  /** Takes the records due by {@code now}, in the order they were scheduled. */
  List<Pending<T>> takeDue(long now) {
    List<Pending<T>> due = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.peek().notBefore <= now) {
      due.add(waiting.poll());
    }
    return due;
  }

  /** Exponential backoff with jitter: half fixed, half random, so retries spread out. */
  long backoffNanos(int attempt) {
    long cap =
        Math.min(
            settings.maxBackoff().toNanos(),
            settings.baseBackoff().toNanos() << Math.min(attempt - 1, 20));
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }
}
