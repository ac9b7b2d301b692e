package io.rowstream.schedule;

import io.rowstream.config.SyncConfig;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A sync's schedule and where its runs are. Not thread-safe: guarded by the scheduler's lock, like
 * everything the scheduler keeps.
 */
final class Slot {
  SyncConfig config;
  Timing timing;
  Instant nextFire;
  Trigger nextCause = Trigger.SCHEDULE;
  ScheduledRun current;
  ScheduledRun queued;
  Instant lastStarted;
  Instant lastSucceeded;
  Boolean pauseOverride;
  int readers;
  final Deque<ScheduledRun> recent = new ArrayDeque<>();

  /** A slot for a sync new to this scheduler: it starts from what the history knows of it. */
  static Slot from(SyncHistory past) {
    Slot slot = new Slot();
    slot.lastStarted = past.lastStarted().orElse(null);
    slot.lastSucceeded = past.lastSucceeded().orElse(null);
    return slot;
  }

  boolean paused() {
    return pauseOverride != null ? pauseOverride : config.paused();
  }

  /**
   * Takes the sync's (new) config: an edited {@code paused:} wins over the API's pause; a changed
   * schedule computes the next fire again ({@code firstRun} of {@code firstRuns}: see {@link
   * Timing#first}), a catch-up when it is already due.
   */
  void configure(SyncConfig sync, Instant now, int firstRun, int firstRuns) {
    if (config != null && config.paused() != sync.paused()) {
      pauseOverride = null; // the config's paused: was edited: it wins over the API's
    }
    boolean scheduleChanged = config == null || !config.schedule().equals(sync.schedule());
    config = sync;
    if (scheduleChanged) {
      timing = new Timing(sync.schedule());
      nextFire =
          timing.first(Optional.ofNullable(lastStarted), now, firstRun, firstRuns).orElse(null);
      nextCause =
          lastStarted != null && nextFire != null && !nextFire.isAfter(now)
              ? Trigger.CATCH_UP
              : Trigger.SCHEDULE;
    }
  }

  /**
   * The due fire as every worker names it: a catch-up is claimed as the fire it makes up for (the
   * first one missed since the last start), not as the time this worker saw it.
   */
  Instant claimedFire() {
    Instant fire =
        nextCause == Trigger.CATCH_UP && lastStarted != null
            ? timing.next(lastStarted).orElse(nextFire)
            : nextFire;
    return timing.claimed(fire);
  }

  Scheduler.SyncView view(String sync) {
    return new Scheduler.SyncView(
        sync,
        paused(),
        Optional.ofNullable(current),
        Optional.ofNullable(queued),
        Optional.ofNullable(recent.peekFirst()),
        paused() ? Optional.empty() : Optional.ofNullable(nextFire),
        Optional.ofNullable(lastSucceeded));
  }

  /** The runs of this sync the scheduler knows of, newest first: queued, running, then recent. */
  List<ScheduledRun> runs() {
    List<ScheduledRun> runs = new ArrayList<>();
    Optional.ofNullable(queued).ifPresent(runs::add);
    Optional.ofNullable(current).ifPresent(runs::add);
    runs.addAll(recent);
    return runs;
  }
}
