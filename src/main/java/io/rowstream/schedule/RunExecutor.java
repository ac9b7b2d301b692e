package io.rowstream.schedule;

import io.rowstream.run.RunSummary;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Runs a started run on a thread of its own, outside the scheduler's lock (a run takes minutes; the
 * API must answer meanwhile). A launcher that throws ends the run as failed, so the scheduler
 * always hears that a run ended and frees its slot.
 */
final class RunExecutor {
  private final Clock clock;
  private final RunLauncher launcher;
  private final RunListener listener;
  private final ExecutorService threads;

  RunExecutor(Clock clock, RunLauncher launcher, RunListener listener) {
    this.clock = clock;
    this.launcher = launcher;
    this.listener = listener;
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "rowstream-run");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts {@code run}; {@code finished} hears its summary after the listener has. */
  void start(ScheduledRun run, BiConsumer<ScheduledRun, RunSummary> finished) {
    threads.execute(() -> execute(run, finished));
  }

  private void execute(ScheduledRun run, BiConsumer<ScheduledRun, RunSummary> finished) {
    listener.started(run);
    RunSummary summary;
    try {
      summary = launcher.run(run.sync(), run.runId(), run.tally(), run.options());
    } catch (RuntimeException e) {
      summary =
          run.endedWithout(
              RunSummary.Status.FAILED,
              e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
              clock.instant());
    }
    // heard first, so a run the API shows ended is already in the metrics and the log
    listener.finished(run, summary);
    finished.accept(run, summary);
  }

  /** No new run starts; those running go on to their end. */
  void shutdown() {
    threads.shutdown();
  }
}
