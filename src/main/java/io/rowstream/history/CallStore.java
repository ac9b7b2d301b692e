package io.rowstream.history;

import java.util.Collection;

/** Where the API calls of runs are kept; read back through {@link HistoryReader}. */
public interface CallStore {
  /**
   * A recorder for the calls of {@code runId}. Each call's error texts are scrubbed of {@code
   * secrets} (and of access keys and signatures) on the thread that reports it, before storing.
   * {@link CallRecorder#flush} before the run is recorded as finished.
   */
  default CallRecorder recorder(String runId, Collection<String> secrets) {
    return recorder(runId, secrets, DEFAULT_DATA_BYTES);
  }

  /**
   * As {@link #recorder(String, Collection)}, keeping each record's partition key, explicit hash
   * key and data (scrubbed of {@code secrets} like the error texts) for the debugger, the data cut
   * to {@code maxDataBytes} per record (0 keeps none of it).
   */
  CallRecorder recorder(String runId, Collection<String> secrets, int maxDataBytes);

  /** Record data kept per record unless the config says otherwise ({@code debug_data_bytes}). */
  int DEFAULT_DATA_BYTES = 1024;
}
