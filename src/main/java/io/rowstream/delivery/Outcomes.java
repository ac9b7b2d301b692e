package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sorts one PutRecords answer, or the failure that stood in for it, into acknowledged, retried,
 * rejected and split records, and paces the lanes it throttled or served. Not thread-safe: the
 * producer calls it under its lock and then acts on the {@link Verdict}.
 */
final class Outcomes<T> {
  /**
   * What the producer does next: stop with {@code fatal} (null for no), send {@code splits} before
   * new batches, and wake its dispatcher when {@code wake}.
   */
  record Verdict<T>(RowstreamException fatal, List<List<Pending<T>>> splits, boolean wake) {}

  private final String stream;
  private final RetrySchedule<T> retries;
  private final Refusals<T> refusals;
  private final ShardQueues<T> queues;
  private final ShardRefresh refresh;

  Outcomes(
      String stream,
      RetrySchedule<T> retries,
      Refusals<T> refusals,
      ShardQueues<T> queues,
      ShardRefresh refresh) {
    this.stream = stream;
    this.retries = retries;
    this.refusals = refusals;
    this.queues = queues;
    this.refresh = refresh;
  }

  /**
   * Sorts the answer to {@code batch} (a result, or a failure) into {@code settled}; {@code
   * submitted} (records submitted so far) sizes the run's retry budget.
   */
  Verdict<T> sort(
      List<Pending<T>> batch,
      Request.Outcome outcome,
      Settled<T> settled,
      long submitted,
      long now) {
    PutResult result = outcome.result();
    RowstreamException failure = outcome.failure();
    // one backoff for all that fail in this answer, so they are sent again together
    int attempts = 0;
    for (Pending<T> e : batch) {
      attempts = Math.max(attempts, e.attempts);
    }
    long retryAt = now + retries.backoffNanos(attempts);
    if (failure != null) {
      return failed(batch, failure, settled, submitted, retryAt, now);
    }
    List<EntryResult> entries = result.entries();
    if (entries.size() != batch.size()) {
      return stop(
          RowstreamException.fatal(
              "the PutRecords response holds "
                  + entries.size()
                  + " entries for "
                  + batch.size()
                  + " records sent; cannot tell which were stored"));
    }
    RowstreamException fatal = null;
    boolean wake = false;
    Map<Lane, Boolean> throttledLanes = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending<T> e = batch.get(i);
      EntryResult r = entries.get(i);
      if (r.ok()) {
        settled.ack(e, r);
        throttledLanes.putIfAbsent(e.lane, false);
        wake |= noticeShard(e, r.shardId(), now);
      } else if (ErrorCodes.isFatal(r.errorCode(), 0)) {
        fatal = fatal == null ? Refusals.stopsTheStream(stream, r) : fatal;
      } else if (ErrorCodes.isRetryable(r.errorCode(), 0)) {
        if (ErrorCodes.isThrottling(r.errorCode(), 0)) {
          throttledLanes.put(e.lane, true);
        }
        e.outageSince = -1;
        wake |= retryOrGiveUp(e, r.errorCode(), r.errorMessage(), settled, submitted, retryAt);
      } else {
        settled.reject(
            e,
            Refusals.reasonCode(r.errorCode()),
            Refusals.refused(r.errorCode(), r.errorMessage()));
      }
    }
    throttledLanes.forEach(
        (lane, throttled) -> {
          if (throttled) {
            lane.throttled(now);
          } else {
            lane.succeeded(now);
          }
        });
    return new Verdict<>(fatal, List.of(), wake);
  }

  /** No answer with entries: the request was refused whole, throttled, or got no answer. */
  private Verdict<T> failed(
      List<Pending<T>> batch,
      RowstreamException failure,
      Settled<T> settled,
      long submitted,
      long retryAt,
      long now) {
    DestinationException d = failure instanceof DestinationException x ? x : null;
    int status = d == null ? 0 : d.httpStatus();
    String code = d == null ? DestinationException.NO_RESPONSE : d.errorCode();
    if (d != null && ErrorCodes.isInvalidRequest(code, status)) {
      return new Verdict<>(null, refusals.bisect(batch, code, failure.getMessage(), settled), true);
    }
    if (failure.kind() != RowstreamException.Kind.RETRYABLE) {
      return stop(failure);
    }
    if (ErrorCodes.isThrottling(code, status)) {
      for (Pending<T> e : batch) {
        e.lane.throttled(now);
        e.outageSince = -1;
      }
      boolean wake = false;
      for (Pending<T> e : batch) {
        wake |= retryOrGiveUp(e, code, failure.getMessage(), settled, submitted, retryAt);
      }
      return new Verdict<>(null, List.of(), wake);
    }
    // no answer, a timeout or a 5xx: Kinesis refused nothing, so ride it out
    return new Verdict<>(refusals.rideOut(batch, failure, now), List.of(), true);
  }

  private Verdict<T> stop(RowstreamException fatal) {
    return new Verdict<>(fatal, List.of(), false);
  }

  /** Whether a stored entry's shard, against the map's prediction, now wants a new listing. */
  private boolean noticeShard(Pending<T> e, String shardId, long now) {
    if (shardId == null || refresh.wanted()) {
      return false;
    }
    return refresh.notice(queues.predictedShard(e), shardId, now);
  }

  /** Schedules the record again, or rejects it; true when it is scheduled. */
  private boolean retryOrGiveUp(
      Pending<T> e, String code, String message, Settled<T> settled, long submitted, long retryAt) {
    String whyNot = retries.retryOrWhyNot(e, submitted, retryAt);
    if (whyNot == null) {
      return true;
    }
    settled.reject(e, Refusals.reasonCode(code), Refusals.gaveUp(message, whyNot));
    return false;
  }
}
