package io.rowstream.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rowstream.core.EventType;
import io.rowstream.delivery.Destination;
import io.rowstream.run.EventCounts;
import io.rowstream.run.RunSummary;
import io.rowstream.schedule.RunListener;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The service's Prometheus metrics (Micrometer): runs, rows and rejections from each run's summary,
 * PutRecords latency, throttling and retries from each call (see {@link ObservedDestination}), the
 * age of each sync's last success, and JVM and process metrics.
 */
final class Metrics implements RunListener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;

  Metrics(Clock clock) {
    this.clock = clock;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  /** One gauge per sync: seconds since its last successful run (NaN before the first). */
  void syncs(Iterable<String> names, Scheduler scheduler) {
    for (String sync : names) {
      Gauge.builder(
              "rowstream.last.success.age",
              scheduler,
              s ->
                  s.view(sync)
                      .flatMap(Scheduler.SyncView::lastSucceeded)
                      .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                      .orElse(Double.NaN))
          .description("seconds since the last successful run of the sync")
          .baseUnit("seconds")
          .tag("sync", sync)
          .register(registry);
    }
  }

  @Override
  public void finished(ScheduledRun run, RunSummary summary) {
    String sync = run.sync();
    Counter.builder("rowstream.runs")
        .description("runs by sync and how they ended")
        .tags("sync", sync, "status", summary.status().label())
        .register(registry)
        .increment();
    for (EventType type : EventType.values()) {
      EventCounts c = summary.counts(type);
      rows("planned", sync, type, c.planned());
      rows("sent", sync, type, c.sent());
      rows("rejected", sync, type, c.rejected());
    }
    summary
        .rejections()
        .forEach(
            (reason, n) ->
                Counter.builder("rowstream.rejections")
                    .description("rows rejected by reason")
                    .tags("sync", sync, "reason", reason)
                    .register(registry)
                    .increment(n));
    run.startedAt()
        .ifPresent(
            started ->
                Timer.builder("rowstream.run.duration")
                    .description("how long runs take")
                    .tags("sync", sync)
                    .register(registry)
                    .record(Duration.between(started, Instant.now(clock))));
  }

  private void rows(String what, String sync, EventType type, long n) {
    Counter.builder("rowstream.rows." + what)
        .description("rows " + what + " by sync and event")
        .tags("sync", sync, "event", type.label())
        .register(registry)
        .increment(n);
  }

  /** {@code destination} with each of its calls measured under {@code sync}. */
  Destination observe(String sync, Destination destination) {
    return new ObservedDestination(sync, destination, registry);
  }
}
