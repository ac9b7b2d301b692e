package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.Rejection;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.Producer;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.CallRecorder;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunEnd;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunStatus;
import io.rowstream.message.MessageRenderer;
import io.rowstream.message.Rendered;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.Planner;
import io.rowstream.plan.Planners;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.state.Ack;
import io.rowstream.state.SyncIdentity;
import io.rowstream.store.StateBackend;
import io.rowstream.store.StateBackends;
import io.rowstream.store.SyncStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One run of a sync: query, plan, send, commit (SPEC §4). The destination comes from a factory, so
 * the run knows nothing of the AWS SDK.
 */
public final class SyncRunner {
  /** Rows handed to the state in one write when they need no record (skipped events). */
  static final int STATE_WRITE_BATCH = 1_000;

  /** How long a cancelled run waits for its requests in flight to answer before it commits. */
  public static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

  /** Thrown inside the run when it is cancelled, to stop reading or planning. */
  private static final class Cancelled extends RowstreamException {
    Cancelled() {
      super(ErrorCode.CANCELLED, Kind.FATAL, "cancelled", null);
    }
  }

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final RowstreamConfig config;
  private final Function<DestinationConfig, Destination> destinations;
  private final ProducerSettings producerSettings;
  private final Clock clock;
  private final Redactor redactor;
  private final StateBackend backend;

  public SyncRunner(
      RowstreamConfig config,
      Function<DestinationConfig, Destination> destinations,
      ProducerSettings producerSettings,
      Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.destinations = requireNonNull(destinations, "destinations is null");
    this.producerSettings = requireNonNull(producerSettings, "producerSettings is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.redactor = config.redactor();
    this.backend = StateBackends.forConfig(config);
  }

  public SyncRunner(RowstreamConfig config, Function<DestinationConfig, Destination> destinations) {
    this(config, destinations, ProducerSettings.defaults(), Clock.systemUTC());
  }

  /** Runs the sync once and records the run; never throws for a failed run, it says so. */
  public RunSummary run(String syncName, RunTally tally) {
    return run(syncName, tally, RunOptions.DEFAULT);
  }

  /** As {@link #run(String, RunTally)}, with {@code options} (a full resync). */
  public RunSummary run(String syncName, RunTally tally, RunOptions options) {
    return execute(config.sync(syncName), tally, false, Optional.empty(), options);
  }

  /**
   * As {@link #run(String, RunTally)} under a run id chosen before (by {@link #newRunId}), so a
   * service can name a run while it is still queued.
   */
  public RunSummary run(String syncName, String runId, RunTally tally) {
    return run(syncName, runId, tally, RunOptions.DEFAULT);
  }

  /** As {@link #run(String, String, RunTally)}, with {@code options} (a full resync). */
  public RunSummary run(String syncName, String runId, RunTally tally, RunOptions options) {
    return execute(config.sync(syncName), tally, false, Optional.of(runId), options);
  }

  /** A new run id for a run that starts at {@code at}: {@code 20261202T091500Z-1a2b3c}. */
  public static String newRunId(Instant at) {
    return RUN_ID.format(at)
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
  }

  /** Plans without sending or changing the delivered state; counts invalid rows by reason. */
  public RunSummary plan(String syncName, RunTally tally) {
    return execute(config.sync(syncName), tally, true, Optional.empty(), RunOptions.DEFAULT);
  }

  public static RunTally newTally() {
    return new RunTally();
  }

  private RunSummary execute(
      SyncConfig sync,
      RunTally tally,
      boolean dryRun,
      Optional<String> presetRunId,
      RunOptions options) {
    Instant started = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String runId = presetRunId.orElseGet(() -> newRunId(started));
    MessageRenderer renderer =
        MessageRenderer.forRun(sync, new MessageRenderer.RunInfo(runId, started.toString()));
    SyncStore state;
    try {
      // a dry run changes nothing and creates nothing: the state read-only, no history
      state = dryRun ? backend.openReadOnly(sync.name()) : backend.open(sync.name());
    } catch (RowstreamException e) {
      return summary(sync, runId, started, tally, 0, Optional.of(e), false, Optional.empty());
    }
    try (state) {
      IdentityCheck.notices(sync, state.identity(), state.deliveredCount()).forEach(tally::notice);
      if (dryRun) {
        return execute(sync, tally, state, null, runId, started, renderer, RunOptions.DEFAULT);
      }
      // opened while holding the state's lease, so no other run of the sync is alive
      try (RunHistory history = backend.openHistory(state, clock)) {
        history.interruptAbandoned(INTERRUPTED);
        history.runStarted(runId, started.toString());
        return execute(sync, tally, state, history, runId, started, renderer, options);
      }
    }
  }

  /** What the history says of a run whose process died before it ended. */
  static final String INTERRUPTED =
      "the run was interrupted before it finished; what it delivered was kept";

  /** One run on an open state; {@code history} is null for a dry run. */
  private RunSummary execute(
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
        Consumer<List<String>> checkColumns = columns -> requireColumns(sync, renderer, columns);
        LongConsumer progress =
            rows -> {
              tally.rowsRead.set(rows);
              stopIfCancelled(tally);
            };
        if (baseline) {
          // the baseline is the whole plan: compared whole, nothing sent
          PlanCounts counts = planner.plan(checkColumns, progress);
          stopIfCancelled(tally);
          rowsQueried = counts.rowsQueried();
          phase(tally, live, RunTally.Phase.PLANNING);
          invalidRows(
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
                      sendingSettings(config.destination(sync.destination())),
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
            stopIfCancelled(tally);
            rowsQueried = plan.rowsQueried();
            phase(tally, live, RunTally.Phase.PLANNING);
            invalidRows(
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
                !deliver(
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
          summary(sync, runId, started, tally, rowsQueried, error, cancelled, forgot);
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

  /**
   * Counts and records the rows the plan rejected (NULL and duplicated keys; none of them is sent)
   * and, for a run that may change the state, adopts the plan's fingerprint scheme.
   */
  private static void invalidRows(
      SyncConfig sync,
      SyncStore state,
      RunHistory history,
      RunListener runListener,
      RunTally tally,
      String runId,
      long nullKeys,
      long duplicateKeyRows) {
    tally.invalid.add(nullKeys);
    if (nullKeys > 0) {
      tally.reject(null, Rejection.NULL_PRIMARY_KEY, nullKeys);
    }
    if (duplicateKeyRows > 0) {
      tally.invalid.add(duplicateKeyRows);
      tally.reject(null, Rejection.DUPLICATE_PRIMARY_KEY, duplicateKeyRows);
    }
    if (history == null) {
      return;
    }
    if (nullKeys > 0) {
      history.reject(
          runId,
          List.of(
              new RejectedRow(
                  null,
                  null,
                  Rejection.NULL_PRIMARY_KEY,
                  nullKeys
                      + " rows of the model have NULL in primary key column "
                      + sync.primaryKey()
                      + "; they are not sent")));
    }
    if (duplicateKeyRows > 0) {
      List<RejectedRow> rows = new ArrayList<>();
      for (DuplicateKey dup : state.duplicateKeys()) {
        rows.add(
            new RejectedRow(
                dup.key(),
                null,
                Rejection.DUPLICATE_PRIMARY_KEY,
                "primary key value "
                    + dup.key()
                    + " is held by "
                    + dup.rows()
                    + " rows of the model; none of them is sent"));
      }
      history.reject(runId, rows);
      runListener.rejected(rows);
    }
    state.adoptFingerprints();
  }

  private static void phase(RunTally tally, LiveCounts live, RunTally.Phase phase) {
    if (live == null) {
      tally.phase.set(phase);
    } else {
      live.phase(phase);
    }
  }

  private static void stopIfCancelled(RunTally tally) {
    if (tally.cancelRequested()) {
      throw new Cancelled();
    }
  }

  static void requireColumns(SyncConfig sync, MessageRenderer renderer, List<String> columns) {
    for (String column : renderer.requiredColumns()) {
      if (columns.stream().noneMatch(column::equals)) {
        throw RowstreamException.fatal(
            ErrorCode.MISSING_COLUMN,
            "sync "
                + sync.name()
                + ": the message or a key uses column '"
                + column
                + "' but the query returns only: "
                + String.join(", ", columns));
      }
    }
  }

  /** The runner's producer settings with what the destination changes in them. */
  private ProducerSettings sendingSettings(DestinationConfig destination) {
    ProducerSettings.Builder settings = producerSettings.toBuilder();
    DestinationConfig.Sending sending = destination.sending();
    sending.maxInFlight().ifPresent(settings::maxInFlight);
    sending.outageTimeout().ifPresent(settings::outageTimeout);
    sending
        .shardSharePercent()
        .ifPresent(
            percent ->
                settings.shardLimits(
                    (int)
                        Math.max(
                            1, (long) producerSettings.shardRecordsPerSecond() * percent / 100),
                    Math.max(1, producerSettings.shardBytesPerSecond() * percent / 100)));
    return settings.build();
  }

  /**
   * Renders and sends every planned event; returns false when the run was cancelled: then it stops
   * reading events, sends nothing more, and waits up to {@link #CANCEL_GRACE} for the requests in
   * flight, so what they stored is acknowledged and committed.
   */
  private boolean deliver(
      SyncConfig sync,
      MessageRenderer renderer,
      SyncStore state,
      EventStream events,
      Sending sending,
      RunHistory history,
      RunTally tally,
      String runId,
      RunListener runListener) {
    boolean dryRun = history == null;
    List<Ack> unsent = new ArrayList<>();
    List<RejectedRow> invalid = new ArrayList<>();
    Sending.Started started = dryRun ? null : sending.started();
    try (Producer<PlannedEvent> producer = dryRun ? null : started.producer()) {
      if (producer != null) {
        tally.onCancel(producer::stop);
      }
      while (events.hasNext() && !tally.cancelRequested()) {
        PlannedEvent event = events.next();
        if (!sync.on().contains(event.type())) {
          tally.skipped.increment();
          unsent.add(event.ack());
        } else {
          tally.planned.get(event.type()).increment();
          Rendered rendered = renderer.render(event);
          if (rendered instanceof Rendered.Invalid bad) {
            tally.reject(event.type(), bad.reason(), 1);
            invalid.add(
                new RejectedRow(event.key(), event.type().label(), bad.reason(), bad.message()));
          } else if (!dryRun) {
            sending.tail().submitted();
            producer.submit(((Rendered.Record) rendered).record(), event);
          }
        }
        if (!dryRun && unsent.size() >= STATE_WRITE_BATCH) {
          state.ack(unsent);
          unsent.clear();
        }
        if (!dryRun && invalid.size() >= STATE_WRITE_BATCH) {
          history.reject(runId, invalid);
          runListener.rejected(invalid);
          invalid.clear();
        }
      }
      if (!dryRun) {
        state.ack(unsent);
        history.reject(runId, invalid);
        runListener.rejected(invalid);
        if (!tally.cancelRequested()) {
          // the plan no longer reads the delivered state: the commit may start beside the last
          // requests
          sending.tail().planRead();
        }
        producer.finish();
        if (tally.cancelRequested()) {
          producer.drain(CANCEL_GRACE);
        }
      }
      return !tally.cancelRequested();
    } finally {
      if (started != null) {
        sending.tail().await();
        started.destination().close();
      }
    }
  }

  private RunSummary summary(
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
