package io.rowstream.history;

import java.time.Instant;
import java.util.List;

/**
 * The write side of a sync's run history, held by the one process that holds the sync's lease.
 *
 * <p>Lifecycle of a run, in order:
 *
 * <ol>
 *   <li>{@link #interruptAbandoned} when the lease is taken: runs still marked running belong to a
 *       process that died; they become {@link RunStatus#INTERRUPTED}, keeping the counts they last
 *       persisted.
 *   <li>{@link #runStarted}, then {@link #progress} about every second and at each phase change, so
 *       readers (and, after a kill, the history) see live counts.
 *   <li>{@link #reject} and the calls of {@link #calls()} as they happen.
 *   <li>{@link #runFinished} once the run's acknowledgements are merged into the delivered state.
 * </ol>
 *
 * <p>Every write is committed before the method returns; readers in other processes see it without
 * waiting for the writer.
 */
public interface RunHistory extends HistoryReader {
  /** Marks runs left running by a dead process as interrupted; returns how many. */
  int interruptAbandoned(String note);

  void runStarted(String runId, String startedAt);

  /** Persists a running run's phase and counts. */
  void progress(String runId, String phase, RunCounts counts);

  void runFinished(String runId, RunEnd end);

  void reject(String runId, List<RejectedRow> rows);

  CallStore calls();

  /**
   * Deletes the runs that started before {@code cutoff}, their rejections and their calls (runs
   * still marked running are kept). Returns how many runs were deleted.
   */
  int deleteRunsBefore(Instant cutoff);
}
