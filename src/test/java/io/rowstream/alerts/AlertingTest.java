package io.rowstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.RowstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine: one notification per change of state a recipient receives, one recovery. */
class AlertingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private AlertsFixture fixture;
  private FakeService everything;
  private FakeService criticalOnly;

  @BeforeEach
  void start() {
    fixture = new AlertsFixture(dir);
    everything = new FakeService(200, "ok");
    criticalOnly = new FakeService(200, "ok");
  }

  @AfterEach
  void stop() {
    everything.close();
    criticalOnly.close();
  }

  private RowstreamConfig config(String triggers) {
    return fixture.config(
        """
        alerts:
          channels:
            all: {type: webhook, url: "%s"}
            pager: {type: webhook, url: "%s"}
          recipients:
            - {channel: all, level: warning}
            - {channel: pager, level: critical}
          triggers:
        %s
        """
            .formatted(everything.url("/all"), criticalOnly.url("/pager"), triggers.indent(4)),
        Map.of());
  }

  private static List<String> changes(FakeService service) {
    return service.requests().stream()
        .map(
            r -> {
              try {
                JsonNode n = JSON.readTree(r.body());
                return n.get("trigger").asText()
                    + " "
                    + n.get("previous_level").asText()
                    + "->"
                    + n.get("level").asText();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void okWarningCriticalOkNotifiesEachChangeOnceAndOneRecovery() {
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1, critical: 10%}"));
    var sync = alertingSync();
    alerting.afterRun(sync, fixture.succeeded(1000));
    alerting.afterRun(sync, fixture.rejected(100, 2)); // 2%: WARNING
    alerting.afterRun(sync, fixture.rejected(100, 3)); // still WARNING: nothing
    alerting.afterRun(sync, fixture.rejected(100, 20)); // 20%: CRITICAL
    alerting.afterRun(sync, fixture.rejected(100, 30)); // still CRITICAL: nothing
    alerting.afterRun(sync, fixture.succeeded(1000)); // recovers
    alerting.afterRun(sync, fixture.succeeded(1000)); // still OK: nothing

    assertThat(changes(everything))
        .containsExactly(
            "rejected_rows OK->WARNING",
            "rejected_rows WARNING->CRITICAL",
            "rejected_rows CRITICAL->OK");
    assertThat(changes(criticalOnly))
        .containsExactly("rejected_rows OK->CRITICAL", "rejected_rows CRITICAL->OK");
    assertThat(alerting.state("customers").level(Trigger.REJECTED_ROWS)).isEqualTo(Level.OK);
  }

  @Test
  void theNextOneShotRunDoesNotAlertAgainAndOneSuccessSendsOneRecovery() {
    RowstreamConfig config = config("rejected_rows: {warning: 1}");
    fixture
        .alerting(config)
        .afterRun(alertingSync(), fixture.failed("stream 's' was not found in region us-east-1"));
    // every one-shot run is a new process: a new Alerting over the same state folder
    Alerting.Report second =
        fixture
            .alerting(config)
            .afterRun(alertingSync(), fixture.failed("stream 's' was not found"));
    Alerting.Report third =
        fixture.alerting(config).afterRun(alertingSync(), fixture.succeeded(10));

    assertThat(second.sent()).isEmpty();
    assertThat(third.sent())
        .extracting(SentNotification::channel)
        .containsExactlyInAnyOrder("all", "pager");
    assertThat(changes(everything))
        .containsExactly("fatal_error OK->CRITICAL", "fatal_error CRITICAL->OK");
    assertThat(changes(criticalOnly))
        .containsExactly("fatal_error OK->CRITICAL", "fatal_error CRITICAL->OK");
    assertThat(dir.resolve(".rowstream/customers.alerts.json")).exists();
  }

  @Test
  void twoEvaluationsOfOneSyncAtOnceNotifyOnceBecauseTheStoreIsLocked() throws Exception {
    RowstreamConfig config = config("rejected_rows: {warning: 1}");
    Alerting a = fixture.alerting(config);
    Alerting b = fixture.alerting(config);
    var first = fixture.failed("boom");
    var second = fixture.failed("boom");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var x = pool.submit(() -> a.afterRun(alertingSync(), first));
      var y = pool.submit(() -> b.afterRun(alertingSync(), second));
      assertThat(x.get().error()).isEmpty();
      assertThat(y.get().error()).isEmpty();
    } finally {
      pool.shutdown();
    }
    assertThat(changes(everything)).containsExactly("fatal_error OK->CRITICAL");
    assertThat(changes(criticalOnly)).containsExactly("fatal_error OK->CRITICAL");
  }

  @Test
  void aWarningIsNotSentToACriticalOnlyRecipientNorIsItsRecovery() {
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1, critical: 50%}"));
    alerting.afterRun(alertingSync(), fixture.rejected(100, 5));
    alerting.afterRun(alertingSync(), fixture.succeeded(1000));

    assertThat(changes(everything))
        .containsExactly("rejected_rows OK->WARNING", "rejected_rows WARNING->OK");
    assertThat(criticalOnly.requests()).isEmpty();
  }

  @Test
  void aFailedRunLeavesTheOtherTriggersAsTheyWere() {
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1}"));
    alerting.afterRun(alertingSync(), fixture.rejected(100, 5));
    alerting.afterRun(alertingSync(), fixture.failed("source model: query failed: boom"));

    AlertState state = alerting.state("customers");
    assertThat(state.level(Trigger.REJECTED_ROWS)).isEqualTo(Level.WARNING);
    assertThat(state.level(Trigger.FATAL_ERROR)).isEqualTo(Level.CRITICAL);
    assertThat(changes(everything))
        .containsExactly("rejected_rows OK->WARNING", "fatal_error OK->CRITICAL");
  }

  /** A short budget: the channel that is down answers at once, so its retries end at the budget. */
  private static final Alerting.Settings SHORT_BUDGET =
      new Alerting.Settings(
          Duration.ofMillis(800),
          Duration.ofSeconds(3),
          Duration.ofMillis(20),
          new java.util.Properties());

  @Test
  void aDeliveryThatFailedIsTriedAgainAtTheNextEvaluationUntilDelivered() {
    everything.answerFromNowOn(503, "down");
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1}"), SHORT_BUDGET);
    Alerting.Report first = alerting.afterRun(alertingSync(), fixture.failed("boom"));
    assertThat(first.sent())
        .filteredOn(s -> s.channel().equals("all"))
        .singleElement()
        .satisfies(s -> assertThat(s.delivered()).isFalse());

    everything.answerFromNowOn(200, "ok");
    Alerting.Report second = alerting.afterRun(alertingSync(), fixture.failed("boom"));
    Alerting.Report third = alerting.afterRun(alertingSync(), fixture.failed("boom"));

    assertThat(second.sent())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.channel()).isEqualTo("all");
              assertThat(s.delivered()).isTrue();
              assertThat(s.level()).isEqualTo(Level.CRITICAL);
            });
    assertThat(third.sent()).isEmpty();
    assertThat(changes(criticalOnly)).containsExactly("fatal_error OK->CRITICAL");
  }

  @Test
  void aStateThatRecoversBeforeItsAlertWasDeliveredSendsNothingMore() {
    everything.answerFromNowOn(503, "down");
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1}"), SHORT_BUDGET);
    alerting.afterRun(alertingSync(), fixture.failed("boom"));
    everything.answerFromNowOn(200, "ok");
    int before = everything.requests().size();
    Alerting.Report recovered = alerting.afterRun(alertingSync(), fixture.succeeded(10));

    assertThat(recovered.sent()).extracting(SentNotification::channel).containsExactly("pager");
    assertThat(everything.requests()).hasSize(before);
  }

  @Test
  void slowRunAndDataDropAreEvaluatedAgainstTheStoredFiguresOfEarlierRuns() {
    Alerting alerting =
        fixture.alerting(
            config(
                """
        slow_run: {warning: 3x, critical: 1h}
        data_drop: {warning: 20%, critical: 50%}"""));
    for (int i = 0; i < 3; i++) {
      alerting.afterRun(alertingSync(), fixture.took(Duration.ofSeconds(10)));
    }
    Alerting.Report slow = alerting.afterRun(alertingSync(), fixture.took(Duration.ofSeconds(31)));
    assertThat(slow.changed()).containsOnlyKeys(Trigger.SLOW_RUN);
    assertThat(slow.changed().get(Trigger.SLOW_RUN).reason())
        .isEqualTo(
            "the run took 31.0s, 3.1x the median of the last 3 runs (10.0s); WARNING at 3x, CRITICAL at 1h");

    Alerting.Report drop = alerting.afterRun(alertingSync(), fixture.succeeded(400));
    assertThat(drop.changed().get(Trigger.DATA_DROP).level()).isEqualTo(Level.CRITICAL);
    assertThat(drop.changed().get(Trigger.DATA_DROP).reason())
        .isEqualTo(
            "rows_queried fell 60.0% since the last completed run (from 1000 to 400); WARNING at 20%, CRITICAL at 50%");
    assertThat(drop.changed().get(Trigger.SLOW_RUN).level()).isEqualTo(Level.OK);
    assertThat(changes(everything))
        .containsExactlyInAnyOrder(
            "slow_run OK->WARNING", "slow_run WARNING->OK", "data_drop OK->CRITICAL");
  }

  @Test
  void staleIsCheckedOnTheClockAndClearedByACompletedRun() {
    Alerting alerting = fixture.alerting(config("stale: {warning: 1h, critical: 6h}"));
    alerting.afterRun(alertingSync(), fixture.succeeded(10));
    fixture.clock.advance(Duration.ofMinutes(30));
    assertThat(alerting.checkStale(fixture.clock.instant()))
        .singleElement()
        .satisfies(r -> assertThat(r.changed()).isEmpty());
    fixture.clock.advance(Duration.ofHours(2));
    alerting.checkStale(fixture.clock.instant());
    fixture.clock.advance(Duration.ofHours(5));
    alerting.checkStale(fixture.clock.instant());
    alerting.checkStale(fixture.clock.instant());
    alerting.afterRun(alertingSync(), fixture.succeeded(10));

    assertThat(changes(everything))
        .containsExactly("stale OK->WARNING", "stale WARNING->CRITICAL", "stale CRITICAL->OK");
    assertThat(changes(criticalOnly)).containsExactly("stale OK->CRITICAL", "stale CRITICAL->OK");
  }

  @Test
  void secretsInARunsErrorAreScrubbedFromNotificationsAndTheStoredState() throws IOException {
    String secret = everything.url("/all").toString();
    Alerting alerting = fixture.alerting(config("rejected_rows: {warning: 1}"));
    alerting.afterRun(alertingSync(), fixture.failed("cannot post to " + secret + " today"));

    assertThat(everything.requests())
        .singleElement()
        .satisfies(
            r -> assertThat(r.body()).doesNotContain(secret).contains("cannot post to **** today"));
    assertThat(Files.readString(dir.resolve(".rowstream/customers.alerts.json")))
        .doesNotContain(secret)
        .doesNotContain(criticalOnly.url("/pager").toString());
  }

  private io.rowstream.config.SyncConfig alertingSync() {
    return io.rowstream.config.ConfigReader.read(dir.resolve("rowstream.yaml"))
        .config()
        .orElseThrow()
        .sync("customers");
  }
}
