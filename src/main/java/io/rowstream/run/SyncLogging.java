package io.rowstream.run;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.Redactor;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.RejectedRow;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.store.synclog.LoadResult;
import io.rowstream.store.synclog.LoggedRun;
import io.rowstream.store.synclog.SyncLogLoader;
import io.rowstream.store.synclog.SyncLogSpool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run's part in the sync logs: it spools the run's events while the run goes on (when the sync
 * has a {@code sync_log:}), and once the run has committed, writes every pending spool of the state
 * folder, this run's first. A log that cannot be written never changes the run's outcome.
 */
final class SyncLogging implements RunListener, AutoCloseable {
  private final RowstreamConfig config;
  private final String runId;
  private final Clock clock;
  private final Redactor redactor;
  private final Optional<SyncLogSpool> spool;

  private SyncLogging(
      RowstreamConfig config, SyncConfig sync, String runId, Clock clock, Redactor redactor) {
    this.config = config;
    this.runId = runId;
    this.clock = clock;
    this.redactor = redactor;
    this.spool =
        config
            .syncLog(sync.name())
            .map(target -> SyncLogSpool.open(config.stateDir(), runId, sync.name(), target));
  }

  static SyncLogging start(
      RowstreamConfig config, SyncConfig sync, String runId, Clock clock, Redactor redactor) {
    return new SyncLogging(config, sync, runId, clock, redactor);
  }

  @Override
  public void sent(List<PlannedEvent> events, List<EntryResult> results) {
    if (spool.isEmpty()) {
      return;
    }
    Instant at = clock.instant();
    for (int i = 0; i < events.size(); i++) {
      PlannedEvent e = events.get(i);
      EntryResult r = results.get(i);
      spool.get().sent(e.key(), e.type().label(), r.shardId(), r.sequenceNumber(), at);
    }
  }

  @Override
  public void rejected(List<RejectedRow> rows) {
    if (spool.isEmpty()) {
      return;
    }
    Instant at = clock.instant();
    for (RejectedRow row : rows) {
      if (row.key() != null) {
        spool.get().rejected(row.key(), row.event(), row.reason(), row.message(), at);
      }
    }
  }

  /**
   * Writes this run's log and any pending ones; returns {@code summary} with the outcome of this
   * run's log, and tells {@code tally} of earlier logs that are still pending.
   */
  RunSummary finish(RunSummary summary, RunTally tally) {
    Optional<SyncLogOutcome> outcome = Optional.empty();
    if (spool.isPresent()) {
      LoggedRun run =
          new LoggedRun(
              summary.runId(),
              summary.sync(),
              summary.status().label(),
              Instant.parse(summary.startedAt()),
              Instant.parse(summary.finishedAt()),
              summary.historyCounts(),
              summary.errorCode().map(c -> c.code()),
              summary.error());
      long events = spool.get().events();
      outcome =
          Optional.of(
              spool.get().finish(run)
                  ? new SyncLogOutcome(
                      SyncLogOutcome.Status.PENDING,
                      events,
                      Optional.of("another rowstream process is writing it"))
                  : new SyncLogOutcome(
                      SyncLogOutcome.Status.DROPPED,
                      events,
                      spool.get().failure().map(redactor::scrub)));
    }
    List<LoadResult> results =
        new SyncLogLoader(
                config.stateDir(),
                name -> Optional.ofNullable(config.sources().get(name)),
                redactor)
            .loadPending();
    int stillPending = 0;
    for (LoadResult r : results) {
      if (r.runId().equals(runId) && outcome.isPresent()) {
        long events = outcome.get().events();
        outcome =
            Optional.of(
                r.written()
                    ? new SyncLogOutcome(SyncLogOutcome.Status.WRITTEN, events, Optional.empty())
                    : new SyncLogOutcome(SyncLogOutcome.Status.PENDING, events, r.error()));
      } else if (!r.written()) {
        stillPending++;
      }
    }
    if (stillPending > 0) {
      tally.notice(
          stillPending
              + " earlier sync log(s) still not written, kept in "
              + config.stateDir().resolve(SyncLogSpool.FOLDER)
              + " and retried at the next run; first error: "
              + results.stream()
                  .filter(r -> !r.written() && !r.runId().equals(runId))
                  .findFirst()
                  .flatMap(LoadResult::error)
                  .orElse(""));
    }
    return outcome.map(summary::withSyncLog).orElse(summary);
  }

  @Override
  public void close() {
    spool.ifPresent(SyncLogSpool::close);
  }
}
