package io.rowstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.alerts.FakeService;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.run.RunSummary;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.schedule.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stale check as {@code serve} runs it: on a timer, on the service's clock, through a run. */
class AlertHookTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final FakeService webhook = new FakeService(200, "ok");
  private AlertHook hook;
  private Scheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.shutdown(Duration.ofSeconds(5), "test over");
    }
    if (hook != null) {
      hook.stop(Duration.ofSeconds(5));
    }
    webhook.close();
  }

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

  private RowstreamConfig config() throws IOException {
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources:
          model: {type: duckdb, path: model.duckdb}
        destinations:
          kinesis: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:4567"}
        syncs:
          customers: {source: model, table: t, primary_key: id, destination: kinesis, stream: s}
        alerts:
          channels:
            hook: {type: webhook, url: "%s"}
          recipients:
            - {channel: hook, level: warning}
          triggers:
            stale: {critical: 1h}
        """
            .formatted(webhook.url("/hook")));
    return ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
  }

  /** Runs that succeed at once, finishing at the clock's now. */
  private RunSummary succeeded(String sync, String runId) {
    String now = clock.instant().toString();
    return RunSummary.builder(sync, runId, RunSummary.Status.SUCCEEDED)
        .startedAt(now)
        .finishedAt(now)
        .rowsQueried(10)
        .build();
  }

  private List<JsonNode> notifications() {
    return webhook.requests().stream()
        .map(
            r -> {
              try {
                return JSON.readTree(r.body());
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void serveChecksStaleOnItsTimerAndClockAndACompletedRunClearsIt() throws IOException {
    // stale: {critical: 1h}; the check runs on a 20 ms timer and reads the service's clock
    RowstreamConfig config = config();
    hook = new AlertHook(() -> config, clock, Duration.ofMillis(20));
    scheduler = new Scheduler(clock, (sync, runId, tally, options) -> succeeded(sync, runId), hook);
    scheduler.configure(config.syncs().values(), 2, Map.of());
    hook.start();

    ScheduledRun first = scheduler.trigger("customers", Trigger.API);
    await("the first run", () -> first.state() == ScheduledRun.State.DONE);
    clock.advance(Duration.ofMinutes(61));
    await("the stale notification", () -> !notifications().isEmpty());
    JsonNode stale = notifications().get(0);
    assertThat(stale.path("sync").asText()).isEqualTo("customers");
    assertThat(stale.path("trigger").asText()).isEqualTo("stale");
    assertThat(stale.path("level").asText()).isEqualToIgnoringCase("critical");
    assertThat(stale.path("recovery").asBoolean()).isFalse();

    ScheduledRun second = scheduler.trigger("customers", Trigger.API);
    await("the recovery", () -> notifications().size() == 2);
    assertThat(second.status()).isEqualTo("succeeded");
    JsonNode recovered = notifications().get(1);
    assertThat(recovered.path("trigger").asText()).isEqualTo("stale");
    assertThat(recovered.path("recovery").asBoolean()).isTrue();
    clock.advance(Duration.ofMinutes(61));
    await("stale again an hour after the last run", () -> notifications().size() == 3);
    assertThat(notifications().get(2).path("recovery").asBoolean()).isFalse();
  }
}
