package io.rowstream.run;

import io.rowstream.core.RowstreamException;
import io.rowstream.history.RunHistory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Persists a running run's phase and counts in the history about every second and at each phase
 * change, so readers in other processes see them live and a killed run keeps what it had
 * acknowledged up to its last report.
 */
final class LiveCounts implements AutoCloseable {
  /** How often a running run persists its counts. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final RunHistory history;
  private final String runId;
  private final RunTally tally;
  private final ScheduledExecutorService timer;

  LiveCounts(RunHistory history, String runId, RunTally tally) {
    this.history = history;
    this.runId = runId;
    this.tally = tally;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rowstream-live-counts");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::report, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Moves the run to {@code phase} and persists it at once. */
  void phase(RunTally.Phase phase) {
    tally.phase.set(phase);
    report();
  }

  synchronized void report() {
    try {
      history.progress(runId, tally.phase().name().toLowerCase(Locale.ROOT), tally.snapshot());
    } catch (RowstreamException e) {
      // live counts are for watching; a failed report must not stop the run, the next one may work
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
