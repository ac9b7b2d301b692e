package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.RunHistory;
import io.rowstream.message.MessageRenderer;
import io.rowstream.store.StateBackend;
import io.rowstream.store.StateBackends;
import io.rowstream.store.SyncStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One run of a sync: query, plan, send, commit (SPEC §4). The destination comes from a factory, so
 * the run knows nothing of the AWS SDK.
 */
public final class SyncRunner {
  /** How long a cancelled run waits for its requests in flight to answer before it commits. */
  public static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final RowstreamConfig config;
  private final Clock clock;
  private final StateBackend backend;

  /** How a run ends in a summary: see {@link RunSummaries}. */
  private final RunSummaries summaries;

  /** One run on an open state: see {@link RunExecution}. */
  private final RunExecution execution;

  public SyncRunner(
      RowstreamConfig config,
      Function<DestinationConfig, Destination> destinations,
      ProducerSettings producerSettings,
      Clock clock) {
    this.config = requireNonNull(config, "config is null");
    requireNonNull(destinations, "destinations is null");
    requireNonNull(producerSettings, "producerSettings is null");
    this.clock = requireNonNull(clock, "clock is null");
    Redactor redactor = config.redactor();
    this.summaries = new RunSummaries(clock, redactor);
    this.execution =
        new RunExecution(config, destinations, producerSettings, clock, redactor, summaries);
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
      return summaries.of(sync, runId, started, tally, 0, Optional.of(e), false, Optional.empty());
    }
    try (state) {
      IdentityCheck.notices(sync, state.identity(), state.deliveredCount()).forEach(tally::notice);
      if (dryRun) {
        return execution.run(
            sync, tally, state, null, runId, started, renderer, RunOptions.DEFAULT);
      }
      // opened while holding the state's lease, so no other run of the sync is alive
      try (RunHistory history = backend.openHistory(state, clock)) {
        history.interruptAbandoned(INTERRUPTED);
        history.runStarted(runId, started.toString());
        return execution.run(sync, tally, state, history, runId, started, renderer, options);
      }
    }
  }

  /** What the history says of a run whose process died before it ended. */
  static final String INTERRUPTED =
      "the run was interrupted before it finished; what it delivered was kept";
}
