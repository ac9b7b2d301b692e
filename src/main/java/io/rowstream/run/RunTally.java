package io.rowstream.run;

import io.rowstream.core.EventType;
import io.rowstream.history.RunCounts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a run, updated from the reading and the sending threads; read for progress. */
public final class RunTally {
  /** Where a run is. */
  public enum Phase {
    READING,
    PLANNING,
    SENDING,
    COMMITTING,
    DONE
  }

  final AtomicReference<Phase> phase = new AtomicReference<>(Phase.READING);
  final AtomicLong rowsRead = new AtomicLong();
  final Map<EventType, LongAdder> planned = new EnumMap<>(EventType.class);
  final Map<EventType, LongAdder> sent = new EnumMap<>(EventType.class);
  final Map<EventType, LongAdder> rejected = new EnumMap<>(EventType.class);
  final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
  final LongAdder skipped = new LongAdder();
  final LongAdder invalid = new LongAdder();
  private final AtomicReference<String> cancelReason = new AtomicReference<>();

  /** What the run wants its user to know before it sends (a changed stream or key). */
  private final List<String> notices = new CopyOnWriteArrayList<>();

  /** What stops the run's work when it is cancelled, e.g. the producer's sending. */
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();

  RunTally() {
    for (EventType t : EventType.values()) {
      planned.put(t, new LongAdder());
      sent.put(t, new LongAdder());
      rejected.put(t, new LongAdder());
    }
  }

  void reject(EventType type, String reason, long n) {
    if (type != null) {
      rejected.get(type).add(n);
    }
    reasons.computeIfAbsent(reason, r -> new LongAdder()).add(n);
  }

  /**
   * Asks the run to stop: it stops reading and planning, lets the requests in flight answer
   * (bounded), commits what was acknowledged and ends as {@code cancelled}. Safe from any thread (a
   * signal handler, the API); the first reason wins.
   */
  public void requestCancel(String reason) {
    if (cancelReason.compareAndSet(null, reason)) {
      onCancel.forEach(Runnable::run);
    }
  }

  /** Runs {@code action} when the run is cancelled, at once if it already is; it may run twice. */
  void onCancel(Runnable action) {
    onCancel.add(action);
    if (cancelRequested()) {
      action.run();
    }
  }

  public boolean cancelRequested() {
    return cancelReason.get() != null;
  }

  /** Why the run was asked to stop (e.g. "SIGTERM", "cancelled through the API"), if it was. */
  public java.util.Optional<String> cancelReason() {
    return java.util.Optional.ofNullable(cancelReason.get());
  }

  void notice(String text) {
    notices.add(text);
  }

  /** What the run or plan wants its user to know (a changed stream or primary key). */
  public List<String> notices() {
    return List.copyOf(notices);
  }

  public Phase phase() {
    return phase.get();
  }

  public long rowsRead() {
    return rowsRead.get();
  }

  public long planned() {
    return planned.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long sent() {
    return sent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long rejected() {
    return reasons.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<EventType, EventCounts> counts() {
    Map<EventType, EventCounts> out = new EnumMap<>(EventType.class);
    for (EventType t : EventType.values()) {
      out.put(t, new EventCounts(planned.get(t).sum(), sent.get(t).sum(), rejected.get(t).sum()));
    }
    return out;
  }

  /** The counts so far, as the run history keeps them; rows are the rows read so far. */
  RunCounts snapshot() {
    Map<EventType, RunCounts.Events> events = new EnumMap<>(EventType.class);
    counts()
        .forEach(
            (type, c) ->
                events.put(type, new RunCounts.Events(c.planned(), c.sent(), c.rejected())));
    return new RunCounts(rowsRead(), events, skipped.sum(), invalid.sum(), reasons());
  }

  Map<String, Long> reasons() {
    Map<String, Long> out = new java.util.TreeMap<>();
    reasons.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Live counts by event type, for a service showing a run in progress. */
  public Map<EventType, EventCounts> liveCounts() {
    return counts();
  }

  /** Live rejections by reason, for a service showing a run in progress. */
  public Map<String, Long> liveReasons() {
    return reasons();
  }

  public long skipped() {
    return skipped.sum();
  }

  public long invalid() {
    return invalid.sum();
  }
}
