package io.rowstream.history;

import java.util.Collection;

/** Where the API calls of runs are kept; read back through {@link HistoryReader}. */
public interface CallStore {
  /**
   * A recorder for the calls of {@code runId}. Each call's error texts are scrubbed of {@code
   * secrets} (and of access keys and signatures) on the thread that reports it, before storing.
   * {@link CallRecorder#flush} before the run is recorded as finished.
   */
  CallRecorder recorder(String runId, Collection<String> secrets);
}
