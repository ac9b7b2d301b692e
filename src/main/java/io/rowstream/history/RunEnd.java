package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** How a run ended, as {@link RunHistory#runFinished} records it. */
public record RunEnd(
    String finishedAt,
    RunStatus status,
    RunCounts counts,
    Optional<String> error,
    String summaryJson) {
  public RunEnd {
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(status, "status is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(error, "error is null");
    requireNonNull(summaryJson, "summaryJson is null");
    if (status == RunStatus.RUNNING) {
      throw new IllegalArgumentException("a run that ended is not running");
    }
  }
}
