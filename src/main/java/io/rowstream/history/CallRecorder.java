package io.rowstream.history;

import io.rowstream.delivery.CallLog;

/**
 * Stores the API calls of one run, from any thread. Calls are buffered and written in batches; a
 * failed write never stops sending (the calls are for debugging), {@link #flush} reports it.
 */
public interface CallRecorder extends CallLog {
  /**
   * Writes what is buffered and makes the calls written so far findable by key ({@link
   * HistoryReader#callsCarrying}, {@link HistoryReader#rows}); throws if any write of this run
   * failed.
   */
  void flush();

  /**
   * Makes the calls written so far findable by key, as {@link #flush} would, leaving what is
   * buffered for it: run beside the last requests of a run, so that its end has less to index.
   * Failures are kept for {@link #flush} to report.
   */
  default void indexSoFar() {}
}
