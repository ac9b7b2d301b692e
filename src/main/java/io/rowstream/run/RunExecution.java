package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.CallRecorder;
import io.rowstream.history.RunEnd;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunStatus;
import io.rowstream.message.MessageRenderer;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Planner;
import io.rowstream.plan.Planners;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.state.SyncIdentity;
import io.rowstream.store.SyncStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One run on an open state (SPEC §4): plan, send, commit; a dry run ({@code history} null) plans
 * only. {@link SyncRunner} opens the state and the history around it.
 */
final class RunExecution {
  private final RowstreamConfig config;
  private final Function<DestinationConfig, Destination> destinations;
  private final ProducerSettings producerSettings;
  private final Clock clock;
  private final Redactor redactor;
  private final RunSummaries summaries;

  RunExecution(
      RowstreamConfig config,
      Function<DestinationConfig, Destination> destinations,
      ProducerSettings producerSettings,
      Clock clock,
      Redactor redactor,
      RunSummaries summaries) {
    this.config = requireNonNull(config, "config is null");
    this.destinations = requireNonNull(destinations, "destinations is null");
    this.producerSettings = requireNonNull(producerSettings, "producerSettings is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.redactor = requireNonNull(redactor, "redactor is null");
    this.summaries = requireNonNull(summaries, "summaries is null");
  }

  /** One run on an open state; {@code history} is null for a dry run. */
  RunSummary run(
      SyncConfig sync,
      RunTally tally,
      SyncStore state,
      RunHistory history,
      String runId,
      Instant started,
      MessageRenderer renderer,
      RunOptions options) {
    boolean dryRun = history == null;
    boolean fullResync = options.fullResync() && !dryRun;
    Optional<Long> forgot = Optional.empty();
    long rowsQueried = 0;
    Optional<RowstreamException> error = Optional.empty();
    boolean cancelled = false;
    CallRecorder calls =
        dryRun
            ? null
            : history.calls().recorder(runId, config.secretValues(), config.debugDataBytes());
    LiveCounts live = dryRun ? null : new LiveCounts(history, runId, tally);
    SyncLogging syncLog = dryRun ? null : SyncLogging.start(config, sync, runId, clock, redactor);
    try {
      try {
        if (!dryRun) {
          // retention is applied here, not by a scheduler: a sync's state is only open during its
          // runs
          history.deleteRunsBefore(started.minus(config.retention()));
          if (fullResync) {
            // under the state's lock, as the run's first step: no other run can come in between
            forgot = Optional.of(state.forget(Optional.empty()));
          }
          live.phase(RunTally.Phase.READING);
        }
        // a full resync sends every row, even before a first run of an initial_sync: skip sync
        boolean baseline =
            !fullResync
                && !state.initialized()
                && sync.initialSync() == SyncConfig.InitialSync.SKIP;
        // reading stops at the next chunk of rows once the run is cancelled
        Planner planner = Planners.forSync(config.source(sync.source()), sync, state);
        Consumer<List<String>> checkColumns =
            columns -> RequiredColumns.check(sync, renderer, columns);
        LongConsumer progress =
            rows -> {
              tally.rowsRead.set(rows);
              Cancelled.stopIf(tally);
            };
        if (baseline) {
          // the baseline is the whole plan: compared whole, nothing sent
          PlanCounts counts = planner.plan(checkColumns, progress);
          Cancelled.stopIf(tally);
          rowsQueried = counts.rowsQueried();
          phase(tally, live, RunTally.Phase.PLANNING);
          InvalidRows.record(
              sync,
              state,
              history,
              dryRun ? RunListener.NONE : syncLog,
              tally,
              runId,
              counts.nullKeys(),
              counts.duplicateKeyRows());
          phase(tally, live, RunTally.Phase.SENDING);
          tally.skipped.add(counts.added() + counts.changed() + counts.removed());
          if (!dryRun) {
            state.recordBaseline();
          }
        } else {
          // the destination's client starts (SDK classes, credentials) and its producer lists the
          // shards while the model is read
          Sending sending =
              dryRun
                  ? null
                  : Sending.start(
                      () -> destinations.apply(config.destination(sync.destination())),
                      sync.stream(),
                      SendingSettings.of(producerSettings, config.destination(sync.destination())),
                      state,
                      history,
                      syncLog,
                      tally,
                      runId,
                      redactor,
                      calls);
          boolean handedOver = false;
          // the events stream while the plan is still being compared: the first records go out
          // before planning ends; NULL and duplicated keys are decided before the first event
          try (StreamedPlan plan = planner.stream(checkColumns, progress)) {
            Cancelled.stopIf(tally);
            rowsQueried = plan.rowsQueried();
            phase(tally, live, RunTally.Phase.PLANNING);
            InvalidRows.record(
                sync,
                state,
                history,
                dryRun ? RunListener.NONE : syncLog,
                tally,
                runId,
                plan.nullKeys(),
                plan.duplicateKeyRows());
            phase(tally, live, RunTally.Phase.SENDING);
            handedOver = true;
            cancelled =
                !EventDelivery.deliver(
                    sync,
                    renderer,
                    state,
                    plan.events(),
                    sending,
                    history,
                    tally,
                    runId,
                    dryRun ? RunListener.NONE : syncLog);
          } finally {
            if (!handedOver && sending != null) {
              sending.abandon();
            }
          }
        }
      } catch (Cancelled e) {
        cancelled = true;
      } catch (RowstreamException e) {
        if (e.kind() == RowstreamException.Kind.USER) {
          throw e;
        }
        error = Optional.of(e);
      }
      if (calls != null) {
        try {
          calls.flush();
        } catch (RowstreamException e) {
          error = error.or(() -> Optional.of(e));
        }
      }
      phase(tally, live, RunTally.Phase.COMMITTING);
      RunSummary summary =
          summaries.of(sync, runId, started, tally, rowsQueried, error, cancelled, forgot);
      if (!dryRun) {
        state.mergeAcks();
        // a cancelled run may not have recorded its baseline yet: the next run must still be a
        // first run
        if (summary.status() == RunSummary.Status.SUCCEEDED
            || summary.status() == RunSummary.Status.COMPLETED_WITH_ERRORS) {
          state.markInitialized();
          state.recordIdentity(new SyncIdentity(sync.stream(), sync.primaryKey()));
        }
        // after the commit: the log's write, however slow or failing, cannot hold back the state
        summary = syncLog.finish(summary, tally);
        live.close();
        history.runFinished(
            runId,
            new RunEnd(
                summary.finishedAt(),
                RunStatus.parse(summary.status().label()).orElseThrow(),
                summary.historyCounts(),
                summary.error(),
                summary.toJson().toString()));
      }
      tally.phase.set(RunTally.Phase.DONE);
      return summary;
    } finally {
      if (live != null) {
        live.close();
      }
      if (syncLog != null) {
        syncLog.close();
      }
    }
  }

  private static void phase(RunTally tally, LiveCounts live, RunTally.Phase phase) {
    if (live == null) {
      tally.phase.set(phase);
    } else {
      live.phase(phase);
    }
  }
}
