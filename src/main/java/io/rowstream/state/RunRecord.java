package io.rowstream.state;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One run as the history keeps it; the summary is the JSON of {@code run --json}. */
public record RunRecord(
    String runId, String startedAt, Optional<String> finishedAt, String status, Optional<String> summaryJson) {
  public RunRecord {
    requireNonNull(runId, "runId is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(status, "status is null");
  }
}
