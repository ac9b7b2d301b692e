package io.rowstream.server;

import static java.util.Objects.requireNonNull;

import io.rowstream.alerts.AlertState;
import io.rowstream.config.ConfigProblem;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.DestinationConfig;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.ServerConfig;
import io.rowstream.delivery.Destination;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import io.rowstream.schedule.RunLauncher;
import io.rowstream.schedule.RunListener;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.schedule.Workers;
import io.rowstream.server.api.ApiBackend;
import io.rowstream.server.api.HttpApi;
import io.rowstream.server.api.RunHistory;
import io.rowstream.server.web.WebUi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rowstream serve}: the scheduler, the REST API, /healthz and /metrics over one config file,
 * which is watched: a new config is validated first, and a bad one keeps the old one running (and
 * is reported in the log, the API and /healthz).
 *
 * <p>Lifecycle: {@link #start}, then {@link #stop} (SIGTERM): no new run, running ones asked to
 * stop (they commit what was acknowledged and end as cancelled), the HTTP server closed last.
 */
public final class RowstreamServer implements ApiBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RowstreamServer.class);

  private final Path file;
  private final Clock clock;
  private final Scheduler scheduler;
  private final StateHistory history;
  private final Metrics metrics;
  private final ConfigWatcher watcher;
  private final SharedDestinations destinations;
  private final AlertHook alerts;
  private final Optional<Workers> workers;
  private volatile RowstreamConfig config;
  private volatile ConfigState state;
  private HttpApi http;

  private RowstreamServer(
      RowstreamConfig config, Function<DestinationConfig, Destination> destinations, Clock clock) {
    this.file = config.file();
    this.clock = clock;
    this.config = config;
    this.metrics = new Metrics(clock);
    this.destinations = new SharedDestinations(destinations);
    RunLog log = new RunLog(clock);
    this.history = new StateHistory(() -> this.config);
    this.alerts = new AlertHook(() -> this.config, clock);
    RunListener listeners =
        new RunListener() {
          @Override
          public void started(ScheduledRun run) {
            history.started(run.sync(), run.runId());
            log.started(run);
          }

          @Override
          public void finished(ScheduledRun run, RunSummary summary) {
            metrics.finished(run, summary);
            log.finished(run, summary);
            alerts.finished(run, summary);
          }
        };
    RunLauncher runs =
        (sync, runId, tally, options) ->
            new SyncRunner(this.config, d -> metrics.observe(sync, this.destinations.borrow(d)))
                .run(sync, runId, tally, options);
    this.workers = WorkerSetup.forConfig(config);
    this.scheduler =
        workers
            .map(w -> new Scheduler(clock, w.leased(runs), listeners, w.claims()))
            .orElseGet(() -> new Scheduler(clock, runs, listeners));
    String now = now();
    this.state = new ConfigState(true, now, now, List.of());
    this.watcher = new ConfigWatcher(file, this::reload);
  }

  /**
   * Starts serving {@code config} (already valid, with a usable {@code server:} section): recovers
   * each sync's state, schedules, listens.
   *
   * @param destinations connects a destination (the CLI passes the Kinesis one)
   */
  public static RowstreamServer start(
      RowstreamConfig config, Function<DestinationConfig, Destination> destinations, Clock clock) {
    RowstreamServer server =
        new RowstreamServer(requireNonNull(config, "config is null"), destinations, clock);
    server.scheduler.configure(
        config.syncs().values(),
        config.server().maxConcurrentRuns(),
        server.history.load(config, config.syncs().keySet()));
    server.metrics.syncs(config.syncs().keySet(), server.scheduler);
    ServerConfig s = config.server();
    server.http = HttpApi.start(server, s.bind(), s.port(), app -> WebUi.mount(app, server));
    server.workers.ifPresent(w -> w.watchTakeovers(server.scheduler));
    server.scheduler.start();
    server.watcher.start();
    server.alerts.start();
    LOG.info(
        "serving {} syncs from {} on http://{}:{} (auth: {}){}",
        config.syncs().size(),
        config.file(),
        s.bind(),
        server.http.port(),
        s.auth().name().toLowerCase(java.util.Locale.ROOT),
        server
            .workers
            .map(
                w ->
                    " as worker "
                        + w.worker()
                        + " of the shared state (lease TTL "
                        + s.leaseTtl().toSeconds()
                        + "s)")
            .orElse(""));
    return server;
  }

  public int port() {
    return http.port();
  }

  @Override
  public RowstreamConfig config() {
    return config;
  }

  @Override
  public ConfigState configState() {
    return state;
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public AlertState alertState(String sync) {
    return alerts.state(sync);
  }

  @Override
  public RunHistory history() {
    return history;
  }

  @Override
  public String scrape() {
    return metrics.scrape();
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  @Override
  public synchronized ConfigState reload() {
    ConfigResult result = ConfigReader.read(file);
    String now = now();
    if (!result.ok()) {
      List<String> problems = new ArrayList<>();
      for (ConfigProblem p : result.problems()) {
        problems.add(p.toString());
      }
      if (state.ok() || !state.problems().equals(problems)) {
        LOG.warn(
            "the config file has {} problem(s); the config loaded at {} keeps running: {}",
            problems.size(),
            state.loadedAt(),
            String.join("; ", problems));
      }
      state = new ConfigState(false, state.loadedAt(), now, problems);
      return state;
    }
    RowstreamConfig next = result.config().orElseThrow();
    List<String> notes = new ArrayList<>();
    ServerConfig old = config.server();
    if (!old.bind().equals(next.server().bind()) || old.port() != next.server().port()) {
      notes.add(
          "server.bind and server.port apply at the next start; still listening on "
              + old.bind()
              + ":"
              + port());
    }
    if (next.server().unusable().isPresent()) {
      state =
          new ConfigState(false, state.loadedAt(), now, List.of(next.server().unusable().get()));
      LOG.warn("the new config is not applied: {}", next.server().unusable().get());
      return state;
    }
    List<String> added =
        next.syncs().keySet().stream().filter(s -> !config.syncs().containsKey(s)).toList();
    config = next;
    alerts.configure(next);
    scheduler.configure(
        next.syncs().values(), next.server().maxConcurrentRuns(), history.load(next, added));
    metrics.syncs(next.syncs().keySet(), scheduler);
    state = new ConfigState(true, now, now, notes);
    LOG.info(
        "config reloaded: {} syncs{}",
        next.syncs().size(),
        notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    return state;
  }

  /**
   * Stops: no new run, queued ones cancelled, running ones asked to stop and waited for up to
   * {@code grace}; then the HTTP server closes.
   *
   * @return whether every run ended within {@code grace}
   */
  public boolean stop(Duration grace, String reason) {
    LOG.info(
        "stopping ({}): no new runs; waiting up to {}s for {} running",
        reason,
        grace.toSeconds(),
        scheduler.running());
    watcher.close();
    workers.ifPresent(Workers::stopping);
    boolean ended = scheduler.shutdown(grace, reason);
    if (!ended) {
      LOG.warn(
          "runs still going after {}s; stopping anyway (the next start recovers them)",
          grace.toSeconds());
    }
    alerts.stop(Duration.ofSeconds(3));
    http.close();
    destinations.close();
    workers.ifPresent(Workers::close);
    LOG.info("stopped");
    return ended;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20), "closed");
  }

  Instant started() {
    return clock.instant();
  }
}
