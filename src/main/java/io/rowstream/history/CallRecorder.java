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
}
