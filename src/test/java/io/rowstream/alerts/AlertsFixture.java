package io.rowstream.alerts;

import io.rowstream.config.ConfigProblem;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.EventType;
import io.rowstream.run.EventCounts;
import io.rowstream.run.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A config with one sync and an {@code alerts:} section, a settable clock, and run summaries to
 * feed.
 */
final class AlertsFixture {
  /** Attempts long enough for a cold JVM on a busy machine; short backoff. */
  static final Alerting.Settings FAST =
      new Alerting.Settings(
          Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofMillis(20), new Properties());

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    TestClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  final Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final AtomicInteger runs = new AtomicInteger();

  AlertsFixture(Path dir) {
    this.dir = dir;
  }

  /**
   * The config of sync {@code customers} with {@code alerts} (YAML at top level) and {@code
   * syncAlerts} under the sync.
   */
  RowstreamConfig config(String alerts, Map<String, String> env) {
    String yaml =
        """
        sources:
          model: {type: duckdb, path: model.duckdb}
        destinations:
          events: {type: kinesis, region: us-east-1}
        syncs:
          customers: {source: model, table: customers, primary_key: id, destination: events, stream: s}
        """
            + alerts;
    try {
      Files.writeString(dir.resolve("rowstream.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), env);
    if (!result.ok()) {
      throw new IllegalArgumentException(
          result.problems().stream().map(ConfigProblem::toString).toList().toString());
    }
    return result.config().orElseThrow();
  }

  Alerting alerting(RowstreamConfig config) {
    return alerting(config, FAST);
  }

  Alerting alerting(RowstreamConfig config, Alerting.Settings settings) {
    return new Alerting(
        config,
        new DocumentAlertStore(new io.rowstream.store.duckdb.JsonFileDocuments(config.stateDir())),
        settings,
        clock);
  }

  /** A run of {@code customers} that took {@code took}, ending now; the clock moves past it. */
  RunSummary run(
      RunSummary.Status status,
      long rowsQueried,
      long planned,
      Map<String, Long> rejections,
      Optional<String> error,
      Duration took) {
    Instant started = clock.instant();
    clock.advance(took);
    Instant finished = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    return RunSummary.builder("customers", "run-" + runs.incrementAndGet(), status)
        .startedAt(started.toString())
        .finishedAt(finished.toString())
        .rowsQueried(rowsQueried)
        .events(Map.of(EventType.ADDED, new EventCounts(planned, planned, 0)))
        .rejections(rejections)
        .error(error)
        .build();
  }

  RunSummary succeeded(long rows) {
    return run(
        RunSummary.Status.SUCCEEDED, rows, 10, Map.of(), Optional.empty(), Duration.ofSeconds(4));
  }

  RunSummary failed(String error) {
    return run(RunSummary.Status.FAILED, 0, 0, Map.of(), Optional.of(error), Duration.ofSeconds(1));
  }

  RunSummary rejected(long planned, long rejected) {
    return run(
        RunSummary.Status.COMPLETED_WITH_ERRORS,
        1000,
        planned,
        Map.of("record_too_large", rejected),
        Optional.empty(),
        Duration.ofSeconds(4));
  }

  RunSummary took(Duration d) {
    return run(RunSummary.Status.SUCCEEDED, 1000, 10, Map.of(), Optional.empty(), d);
  }
}
