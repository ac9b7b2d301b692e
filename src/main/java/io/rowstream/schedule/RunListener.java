package io.rowstream.schedule;

import io.rowstream.run.RunSummary;

/**
 * Hears each run start and end (metrics, logs, alerts). Called on the run's thread, outside the
 * scheduler's lock; must be quick and must not throw.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void started(ScheduledRun run) {}

  default void finished(ScheduledRun run, RunSummary summary) {}
}
