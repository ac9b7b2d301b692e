package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.ApiCall;
import java.util.Map;
import java.util.TreeMap;

/**
 * One API call of a run as the state keeps it.
 *
 * @param seq the order in which the run's calls completed, from 1
 * @param call the call; its keys and entries are empty when they were not asked for
 * @param failedByCode how many of its records failed, by error code
 */
public record StoredCall(long seq, ApiCall call, Map<String, Integer> failedByCode) {
  public StoredCall {
    requireNonNull(call, "call is null");
    failedByCode = new TreeMap<>(failedByCode);
  }

  public int failed() {
    return failedByCode.values().stream().mapToInt(Integer::intValue).sum();
  }
}
