package io.rowstream.schedule;

import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The runs a scheduler knows by id (queued, running, and the last {@link Scheduler#RECENT_RUNS} of
 * each sync) and the queued ones ready to start. Guarded by the scheduler's lock; which ready run
 * starts when is the scheduler's to decide.
 */
final class RunQueue {
  private final Clock clock;
  private final Map<String, ScheduledRun> byId = new HashMap<>();

  /** Queued runs whose sync runs nothing now, in the order they were queued. */
  final Deque<ScheduledRun> ready = new ArrayDeque<>();

  RunQueue(Clock clock) {
    this.clock = clock;
  }

  Optional<ScheduledRun> find(String runId) {
    return Optional.ofNullable(byId.get(runId));
  }

  /**
   * Queues a run of {@code sync}, or coalesces into the one already queued: a sync never has more
   * than one run waiting. It is ready at once unless the sync runs now.
   */
  ScheduledRun enqueue(String sync, Slot slot, Trigger cause, Instant due, RunOptions options) {
    if (slot.queued != null) {
      slot.queued.coalesce(options, cause);
      return slot.queued;
    }
    Instant now = clock.instant();
    ScheduledRun run =
        new ScheduledRun(
            SyncRunner.newRunId(now.truncatedTo(ChronoUnit.MILLIS)),
            sync,
            cause,
            now,
            due.isAfter(now) ? now : due,
            SyncRunner.newTally(),
            options);
    slot.queued = run;
    byId.put(run.runId(), run);
    if (slot.current == null) {
      ready.add(run);
    }
    return run;
  }

  /** Keeps an ended run among the sync's recent ones; the oldest beyond the limit is forgotten. */
  void remember(Slot slot, ScheduledRun run) {
    slot.recent.addFirst(run);
    while (slot.recent.size() > Scheduler.RECENT_RUNS) {
      byId.remove(slot.recent.removeLast().runId());
    }
  }

  void cancelQueued(Slot slot, ScheduledRun run, String reason) {
    ready.remove(run);
    slot.queued = null;
    run.tally().requestCancel(reason);
    run.finished(run.endedWithout(RunSummary.Status.CANCELLED, reason, clock.instant()));
    remember(slot, run);
  }

  /** Cancels a run: a queued one never starts, a running one is asked to stop. */
  Scheduler.Cancelled cancel(String runId, String reason, Slots slots) {
    ScheduledRun run = byId.get(runId);
    if (run == null) {
      return Scheduler.Cancelled.UNKNOWN;
    }
    switch (run.state()) {
      case QUEUED -> {
        cancelQueued(slots.get(run.sync()), run, reason);
        return Scheduler.Cancelled.DEQUEUED;
      }
      case RUNNING -> {
        run.tally().requestCancel(reason);
        return Scheduler.Cancelled.REQUESTED;
      }
      default -> {
        return Scheduler.Cancelled.ALREADY_DONE;
      }
    }
  }
}
