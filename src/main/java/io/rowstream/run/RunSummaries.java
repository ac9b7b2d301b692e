package io.rowstream.run;

import io.rowstream.config.SyncConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The summary a run ends with: its status from how it ended, its counts, its error scrubbed. */
final class RunSummaries {
  private final Clock clock;
  private final Redactor redactor;

  RunSummaries(Clock clock, Redactor redactor) {
    this.clock = clock;
    this.redactor = redactor;
  }

  RunSummary of(
      SyncConfig sync,
      String runId,
      Instant started,
      RunTally tally,
      long rowsQueried,
      Optional<RowstreamException> failure,
      boolean cancelled,
      Optional<Long> forgot) {
    Instant finished = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    RunSummary.Status status =
        failure.isPresent()
            ? RunSummary.Status.FAILED
            : cancelled
                ? RunSummary.Status.CANCELLED
                : tally.rejected() > 0
                    ? RunSummary.Status.COMPLETED_WITH_ERRORS
                    : RunSummary.Status.SUCCEEDED;
    if (status == RunSummary.Status.CANCELLED) {
      failure =
          Optional.of(
              RowstreamException.fatal(
                  ErrorCode.CANCELLED,
                  "cancelled ("
                      + tally.cancelReason().orElse("on request")
                      + "): what Kinesis acknowledged is committed; the next run "
                      + "sends the rest"));
    }
    return RunSummary.builder(sync.name(), runId, status)
        .startedAt(started.toString())
        .finishedAt(finished.toString())
        .rowsQueried(rowsQueried)
        .events(tally.counts())
        .skipped(tally.skipped.sum())
        .invalid(tally.invalid.sum())
        .rejections(tally.reasons())
        .error(failure.map(e -> redactor.scrub(e.getMessage())))
        .errorCode(failure.map(RowstreamException::code))
        .fullResyncForgot(forgot)
        .build();
  }
}
