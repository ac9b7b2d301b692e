package io.rowstream.schedule;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SyncConfig;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides when each sync runs and runs it: cron and every schedules, {@code after:} chains, API
 * triggers, under at most {@code max_concurrent_runs} at once, plus {@link #SLOTS_KEPT_FOR_API} for
 * runs asked for through the API, which also start before scheduled runs that wait.
 *
 * <p>Guarantees: one run per sync at a time (a trigger while it runs or waits queues one more run,
 * coalesced: never two in parallel, never a pile); a schedule missed while the service was down
 * fires once; a paused sync runs only when asked through the API; time comes from the {@link Clock}
 * given, and {@link #tick()} fires what is due, so tests drive it without sleeping.
 *
 * <p>Lifecycle: {@link #configure} (again on each reload), {@link #start()} for the timer thread
 * (tests call {@link #tick()} instead), then {@link #shutdown}.
 */
public final class Scheduler {
  /** Finished runs kept in memory per sync, for the API's quick answers. */
  static final int RECENT_RUNS = 20;

  /**
   * Run slots beyond {@code max_concurrent_runs} that only runs asked for through the API (an
   * orchestrator waiting on it, a person in the UI) may take, so such a run does not wait for
   * scheduled ones to end.
   */
  public static final int SLOTS_KEPT_FOR_API = 1;

  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  /**
   * With several workers, how long a worker whose run slots are all taken leaves a due fire to the
   * others before it claims the fire itself: an idle worker claims it first.
   */
  static final Duration BUSY_CLAIM_DELAY = Duration.ofSeconds(5);

  private final Clock clock;
  private final FireClaims claims;
  private final RunExecutor executor;
  private final Slots slots = new Slots();
  private final RunQueue runs;
  private int maxConcurrent = 1;
  private int running;
  private boolean stopping;
  private Thread timer;

  public Scheduler(Clock clock, RunLauncher launcher, RunListener listener) {
    this(clock, launcher, listener, FireClaims.SOLO);
  }

  /**
   * A scheduler that starts a due schedule only when {@code claims} says this worker won the fire
   * (several workers on one shared state).
   */
  public Scheduler(Clock clock, RunLauncher launcher, RunListener listener, FireClaims claims) {
    this.clock = requireNonNull(clock, "clock is null");
    this.executor =
        new RunExecutor(
            clock,
            requireNonNull(launcher, "launcher is null"),
            requireNonNull(listener, "listener is null"));
    this.claims = requireNonNull(claims, "claims is null");
    this.runs = new RunQueue(clock);
  }

  /**
   * Takes the syncs of a (new) config. A sync seen before keeps its runs, its API pause and its
   * next fire time unless its schedule changed; a new one starts from {@code history} (a missed
   * schedule fires once); a removed one has its queued run cancelled (a running one finishes).
   */
  public synchronized void configure(
      Collection<SyncConfig> syncs, int maxConcurrentRuns, Map<String, SyncHistory> history) {
    for (Slot gone : slots.configure(syncs, history, clock.instant())) {
      if (gone.queued != null) {
        runs.cancelQueued(gone, gone.queued, "the sync was removed from the config");
      }
    }
    maxConcurrent = maxConcurrentRuns;
    dispatch();
    notifyAll();
  }

  /** Fires every schedule due at the clock's now; returns when the next one is due. */
  public synchronized Optional<Instant> tick() {
    if (stopping) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant earliest = null;
    for (Map.Entry<String, Slot> e : slots.entries()) {
      Slot slot = e.getValue();
      if (slot.nextFire == null) {
        continue;
      }
      if (!slot.nextFire.isAfter(now)) {
        if (leftToIdleWorkers(slot, now)) {
          Instant retry = slot.nextFire.plus(BUSY_CLAIM_DELAY);
          earliest = earliest == null || retry.isBefore(earliest) ? retry : earliest;
          continue;
        }
        if (!slot.paused() && claims.claim(e.getKey(), slot.claimedFire())) {
          enqueue(e.getKey(), slot, slot.nextCause, slot.nextFire);
        }
        slot.nextFire = slot.timing.following(slot.nextFire, now).orElse(null);
        slot.nextCause = Trigger.SCHEDULE;
      }
      if (slot.nextFire != null && (earliest == null || slot.nextFire.isBefore(earliest))) {
        earliest = slot.nextFire;
      }
    }
    dispatch();
    return Optional.ofNullable(earliest);
  }

  /**
   * Whether this worker, sharing the state with others and with every run slot taken, leaves the
   * due fire of {@code slot} unclaimed for now (a run that finishes wakes the timer, which tries
   * again), so that an idle worker claims it; past {@link #BUSY_CLAIM_DELAY} it claims it anyway,
   * and the run waits here for a slot.
   */
  private boolean leftToIdleWorkers(Slot slot, Instant now) {
    return claims != FireClaims.SOLO
        && !slot.paused()
        && running + runs.ready.size() >= maxConcurrent
        && now.isBefore(slot.nextFire.plus(BUSY_CLAIM_DELAY));
  }

  /**
   * Asks for a run of {@code sync} now: the run already queued for it if there is one (coalesced),
   * else a new one, queued behind the running one or the concurrency limit.
   *
   * @throws IllegalArgumentException for an unknown sync
   * @throws IllegalStateException while the service stops
   */
  public ScheduledRun trigger(String sync, Trigger cause) {
    return trigger(sync, cause, RunOptions.DEFAULT);
  }

  /**
   * As {@link #trigger(String, Trigger)} with {@code options}: a full resync asked while a run is
   * queued makes that queued run a full resync; asked while one runs, it queues one more that is.
   */
  public synchronized ScheduledRun trigger(String sync, Trigger cause, RunOptions options) {
    Slot slot = slots.get(sync);
    if (slot == null) {
      throw new IllegalArgumentException("no sync named '" + sync + "'");
    }
    if (stopping) {
      throw new IllegalStateException("the service is stopping; no new run starts");
    }
    ScheduledRun run = runs.enqueue(sync, slot, cause, clock.instant(), options);
    dispatch();
    return run;
  }

  private ScheduledRun enqueue(String sync, Slot slot, Trigger cause, Instant due) {
    return runs.enqueue(sync, slot, cause, due, RunOptions.DEFAULT);
  }

  /**
   * Starts ready runs while the concurrency limit allows, runs asked for through the API first (and
   * one more slot is theirs); a sync being read waits for its reader. Called whenever a run is
   * queued or a slot frees, so a run never waits for the timer.
   */
  private void dispatch() {
    if (stopping) {
      return;
    }
    startReady(true, maxConcurrent + SLOTS_KEPT_FOR_API);
    startReady(false, maxConcurrent);
  }

  private void startReady(boolean asked, int limit) {
    for (var it = runs.ready.iterator(); it.hasNext() && running < limit; ) {
      ScheduledRun run = it.next();
      Slot slot = slots.get(run.sync());
      if (run.asked() != asked || slot == null || slot.readers > 0 || slot.current != null) {
        continue;
      }
      it.remove();
      slot.queued = null;
      slot.current = run;
      slot.lastStarted = clock.instant();
      running++;
      run.started(slot.lastStarted);
      executor.start(run, this::finished);
    }
  }

  private synchronized void finished(ScheduledRun run, RunSummary summary) {
    run.finished(summary);
    running--;
    Slot slot = slots.get(run.sync());
    if (slot != null && slot.current == run) {
      slot.current = null;
      runs.remember(slot, run);
      if (slot.queued != null) {
        runs.ready.add(slot.queued);
      }
      if (summary.status() == RunSummary.Status.SUCCEEDED) {
        slot.lastSucceeded = clock.instant();
        triggerDependents(run.sync());
      }
    }
    dispatch();
    notifyAll();
  }

  private void triggerDependents(String succeeded) {
    for (String sync : slots.dependents(succeeded)) {
      enqueue(sync, slots.get(sync), Trigger.AFTER, clock.instant());
    }
  }

  /** What cancelling a run did. */
  public enum Cancelled {
    /** It was queued: it will not start. */
    DEQUEUED,
    /**
     * It runs: it was asked to stop, and ends as cancelled after committing what was acknowledged.
     */
    REQUESTED,
    /** It had already ended. */
    ALREADY_DONE,
    /** The scheduler does not know it. */
    UNKNOWN
  }

  public synchronized Cancelled cancel(String runId, String reason) {
    return runs.cancel(runId, reason, slots);
  }

  /**
   * Pauses ({@code true}) or resumes a sync's schedule until the service restarts or its paused:
   * changes.
   */
  public synchronized boolean setPaused(String sync, boolean paused) {
    Slot slot = slots.get(sync);
    if (slot == null) {
      return false;
    }
    slot.pauseOverride = paused;
    return true;
  }

  /**
   * Runs {@code read} while {@code sync} is idle, keeping a run of it from starting meanwhile (the
   * run waits, queued); empty when it runs now.
   */
  public <T> Optional<T> whileIdle(String sync, Supplier<T> read) {
    synchronized (this) {
      Slot slot = slots.get(sync);
      if (slot == null || slot.current != null) {
        return Optional.empty();
      }
      slot.readers++;
    }
    try {
      return Optional.of(read.get());
    } finally {
      synchronized (this) {
        Slot slot = slots.get(sync);
        if (slot != null) {
          slot.readers--;
        }
        dispatch();
      }
    }
  }

  /** A sync's state as the API shows it. */
  public record SyncView(
      String sync,
      boolean paused,
      Optional<ScheduledRun> current,
      Optional<ScheduledRun> queued,
      Optional<ScheduledRun> last,
      Optional<Instant> nextRun,
      Optional<Instant> lastSucceeded) {}

  public synchronized Optional<SyncView> view(String sync) {
    return Optional.ofNullable(slots.get(sync)).map(slot -> slot.view(sync));
  }

  /** A run this service queued, runs or ran lately. */
  public synchronized Optional<ScheduledRun> find(String runId) {
    return runs.find(runId);
  }

  /** The runs of {@code sync} this service knows of, newest first: queued, running, then recent. */
  public synchronized List<ScheduledRun> runsOf(String sync) {
    Slot slot = slots.get(sync);
    return slot == null ? new ArrayList<>() : slot.runs();
  }

  public synchronized int running() {
    return running;
  }

  /** Starts the timer thread: it sleeps until the next schedule is due and fires it. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer = new Thread(this::timerLoop, "rowstream-scheduler");
    timer.setDaemon(true);
    timer.start();
  }

  private synchronized void timerLoop() {
    while (!stopping) {
      Optional<Instant> next = tick();
      long waitMillis = MAX_WAIT.toMillis();
      if (next.isPresent()) {
        waitMillis =
            Math.min(
                waitMillis, Math.max(1, Duration.between(clock.instant(), next.get()).toMillis()));
      }
      try {
        wait(waitMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Stops scheduling, cancels queued runs, asks running ones to stop (they commit what was
   * acknowledged and end as cancelled) and waits for them up to {@code grace}.
   *
   * @return whether every run ended in time
   */
  public boolean shutdown(Duration grace, String reason) {
    synchronized (this) {
      stopping = true;
      for (Slot slot : slots.all()) {
        if (slot.queued != null) {
          runs.cancelQueued(slot, slot.queued, reason);
        }
        if (slot.current != null) {
          slot.current.tally().requestCancel(reason);
        }
      }
      notifyAll();
      long deadline = System.nanoTime() + grace.toNanos();
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    executor.shutdown();
    return running() == 0;
  }
}
