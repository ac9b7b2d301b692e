package io.rowstream.server;

import io.rowstream.alerts.AlertState;
import io.rowstream.alerts.Alerting;
import io.rowstream.alerts.DocumentAlertStore;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.run.RunSummary;
import io.rowstream.schedule.RunListener;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.store.StateBackends;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts from {@code serve}: each run's summary goes to {@link Alerting#afterRun}, and every minute
 * {@link Alerting#checkStale} looks for syncs without a completed run (and retries failed
 * notifications). Deliveries happen on one thread of their own, so a slow channel never holds a run
 * or the scheduler; each notification is logged.
 */
final class AlertHook implements RunListener, AutoCloseable {
  static final Duration STALE_CHECK_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger("io.rowstream.alerts");

  private final Supplier<RowstreamConfig> config;
  private final Clock clock;
  private final Duration checkEvery;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rowstream-alerts");
            t.setDaemon(true);
            return t;
          });
  private volatile Alerting alerting;

  AlertHook(Supplier<RowstreamConfig> config, Clock clock) {
    this(config, clock, STALE_CHECK_EVERY);
  }

  /**
   * @param checkEvery how often the stale check runs (on the real clock; it reads {@code clock})
   */
  AlertHook(Supplier<RowstreamConfig> config, Clock clock, Duration checkEvery) {
    this.config = config;
    this.clock = clock;
    this.checkEvery = checkEvery;
    configure(config.get());
  }

  /** Takes a (new) config's alerts. */
  void configure(RowstreamConfig c) {
    // the service's clock, so a failed run's "seen" and the stale check read the same time
    alerting =
        new Alerting(
            c,
            new DocumentAlertStore(StateBackends.forConfig(c).documents()),
            Alerting.Settings.DEFAULTS,
            clock);
  }

  /** A sync's stored alert state, as the alert store keeps it. */
  AlertState state(String sync) {
    return alerting.state(sync);
  }

  void start() {
    long every = checkEvery.toMillis();
    thread.scheduleWithFixedDelay(
        () -> {
          if (!config.get().alerts().channels().isEmpty()) {
            alerting.checkStale(clock.instant()).forEach(this::log);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void finished(ScheduledRun run, RunSummary summary) {
    SyncConfig sync = config.get().syncs().get(run.sync());
    if (sync == null || thread.isShutdown()) {
      return;
    }
    Alerting current = alerting;
    thread.execute(() -> log(current.afterRun(sync, summary)));
  }

  private void log(Alerting.Report report) {
    report
        .error()
        .ifPresent(e -> LOG.warn("alerts of sync {} could not be evaluated: {}", report.sync(), e));
    for (AlertState.SentNotification n : report.sent()) {
      if (n.delivered()) {
        LOG.info(
            "alert {} of sync {} ({} -> {}) sent to {}",
            n.trigger(),
            report.sync(),
            n.previous(),
            n.level(),
            n.channel());
      } else {
        LOG.warn(
            "alert {} of sync {} ({} -> {}) not delivered to {}: {}",
            n.trigger(),
            report.sync(),
            n.previous(),
            n.level(),
            n.channel(),
            n.detail());
      }
    }
  }

  /** Lets notifications under way finish for up to {@code grace}. */
  void stop(Duration grace) {
    thread.shutdown();
    try {
      thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
