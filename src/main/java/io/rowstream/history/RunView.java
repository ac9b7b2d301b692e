package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One run as the read side shows it: typed, with live counts while it runs.
 *
 * @param phase where a running run was at its last report (reading, planning, sending, committing),
 *     or {@code done}
 * @param reportedAt when the run last persisted its counts; a running run whose reports stopped (or
 *     whose process is gone) is shown as {@link RunStatus#INTERRUPTED}
 * @param summaryJson the summary {@code run --json} printed, once the run ended
 */
public record RunView(
    String runId,
    RunStatus status,
    String phase,
    String startedAt,
    Optional<String> finishedAt,
    RunCounts counts,
    Optional<String> error,
    Optional<Instant> reportedAt,
    Optional<String> summaryJson) {
  public RunView {
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(error, "error is null");
    requireNonNull(reportedAt, "reportedAt is null");
    requireNonNull(summaryJson, "summaryJson is null");
  }

  public boolean running() {
    return status == RunStatus.RUNNING;
  }
}
