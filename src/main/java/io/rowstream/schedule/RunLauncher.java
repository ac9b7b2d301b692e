package io.rowstream.schedule;

import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;

/**
 * Runs one sync once, on the calling thread, under a run id chosen before: the service passes
 * {@code SyncRunner}, tests a fake. Returns the summary of a failed run rather than throwing; a
 * thrown exception is recorded as a failed run.
 */
@FunctionalInterface
public interface RunLauncher {
  RunSummary run(String sync, String runId, RunTally tally, RunOptions options);
}
