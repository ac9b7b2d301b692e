package io.rowstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.alerts.FakeService.Answer;
import io.rowstream.cli.Main;
import io.rowstream.config.RowstreamConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels answering 5xx, timing out or refusing: retried within the budget, then reported. */
class DeliveryFailuresTest {
  private static final Duration BUDGET = Duration.ofSeconds(3);

  /**
   * Attempts of 1 s: short, yet long enough for a first connection in a cold JVM on a busy machine.
   */
  private static final Alerting.Settings TIGHT =
      new Alerting.Settings(BUDGET, Duration.ofSeconds(1), Duration.ofMillis(20), new Properties());

  @TempDir Path dir;
  private AlertsFixture fixture;
  private FakeService slack;

  @BeforeEach
  void start() {
    fixture = new AlertsFixture(dir);
    slack = new FakeService(200, "ok");
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  private RowstreamConfig slackAt(String url) {
    return fixture.config(
        """
        alerts:
          channels:
            ops: {type: slack, webhook_url: "%s"}
          recipients: [{channel: ops}]
        """
            .formatted(url),
        Map.of());
  }

  private SentNotification failOnce(RowstreamConfig config, Alerting.Settings settings) {
    Alerting.Report report =
        fixture
            .alerting(config, settings)
            .afterRun(config.sync("customers"), fixture.failed("boom"));
    assertThat(report.error()).isEmpty();
    return report.sent().get(0);
  }

  @Test
  void aServerErrorIsRetriedWithBackoffUntilItIsAccepted() {
    slack.thenAnswer(Answer.of(500, "internal_error"), Answer.of(503, "busy"));
    SentNotification sent = failOnce(slackAt(slack.url("/hook").toString()), AlertsFixture.FAST);
    assertThat(sent.delivered()).isTrue();
    assertThat(sent.attempts()).isEqualTo(3);
    assertThat(slack.requests()).hasSize(3);
  }

  @Test
  void aChannelThatStaysDownIsReportedAfterTheBudgetWithoutItsUrl() {
    slack.answerFromNowOn(500, "internal_error");
    String url = slack.url("/services/T0/B0/secret-path").toString();
    long start = System.nanoTime();
    SentNotification sent = failOnce(slackAt(url), TIGHT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(sent.delivered()).isFalse();
    assertThat(sent.attempts()).isGreaterThanOrEqualTo(3).isEqualTo(slack.requests().size());
    assertThat(sent.detail())
        .isEqualTo("Slack answered HTTP 500: internal_error (retry budget spent)");
    assertThat(sent.outcome())
        .startsWith("FAILED after " + sent.attempts() + " attempts: Slack answered HTTP 500");
    assertThat(took).isLessThan(BUDGET.plusSeconds(2));
    assertThat(fixture.alerting(slackAt(url)).state("customers").notifications())
        .singleElement()
        .satisfies(n -> assertThat(n.delivered()).isFalse());
  }

  @Test
  void aChannelThatNeverAnswersTimesOutEachAttemptAndGivesUpWithinTheBudget() {
    slack.answerFromNowOn(200, "ok");
    slack.thenAnswer(
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging(),
        Answer.hanging());
    long start = System.nanoTime();
    SentNotification sent = failOnce(slackAt(slack.url("/hook").toString()), TIGHT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(sent.delivered()).isFalse();
    assertThat(sent.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(sent.detail()).contains("Slack: no answer within 1000 ms");
    assertThat(took).isLessThan(BUDGET.plusSeconds(2));
  }

  @Test
  void aRefusedConnectionIsRetriedAndReported() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    SentNotification sent = failOnce(slackAt("http://127.0.0.1:" + closed + "/hook"), TIGHT);
    assertThat(sent.delivered()).isFalse();
    assertThat(sent.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(sent.detail())
        .isEqualTo(
            "Slack: cannot connect (connection refused or unreachable) (retry budget spent)");
  }

  @Test
  void aRefusalOfTheMessageItselfIsNotRetried() {
    slack.answerFromNowOn(404, "no_service");
    SentNotification sent = failOnce(slackAt(slack.url("/hook").toString()), TIGHT);
    assertThat(sent.delivered()).isFalse();
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(sent.detail()).isEqualTo("Slack answered HTTP 404: no_service (not retried)");
  }

  @Test
  void theAlertsCommandShowsEachTriggersStateAndEachDeliveryOutcome() {
    slack.answerFromNowOn(500, "internal_error");
    String url = slack.url("/services/T0/B0/secret-path").toString();
    failOnce(slackAt(url), TIGHT);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "alerts", "customers", "--config", dir.resolve("rowstream.yaml").toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    assertThat(code).isZero();
    assertThat(out.toString())
        .containsPattern(
            "customers +fatal_error +CRITICAL +2026-11-25T10:\\S+ +the run failed: boom \\(run run-1\\)")
        .containsPattern("customers +rejected_rows +OK ")
        .containsPattern(
            "customers +fatal_error +ops +OK->CRITICAL +FAILED after \\d+ attempts: Slack answered HTTP 500")
        .doesNotContain("secret-path");

    StringWriter json = new StringWriter();
    Main.execute(
        new String[] {"alerts", "--json", "--config", dir.resolve("rowstream.yaml").toString()},
        new PrintWriter(json, true),
        new PrintWriter(err, true));
    assertThat(json.toString())
        .startsWith("{\"triggers\":{\"fatal_error\":{\"level\":\"CRITICAL\"")
        .contains("\"delivered\":false")
        .contains("\"sync\":\"customers\"")
        .doesNotContain("secret-path");
  }

  @Test
  void theTestCommandExitsOneWhenTheChannelFailsAndZeroWhenItWorks() {
    slackAt(slack.url("/hook").toString());
    String config = dir.resolve("rowstream.yaml").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int ok =
        Main.execute(
            new String[] {"alerts", "test", "ops", "--config", config},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(ok).isZero();
    assertThat(out.toString()).contains("test notification to ops (slack): sent (1 attempt)");
    assertThat(slack.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("[TEST]"));

    slack.answerFromNowOn(403, "invalid_token");
    int failed =
        Main.execute(
            new String[] {"alerts", "test", "ops", "--config", config},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(failed).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "test notification to ops (slack): FAILED after 1 attempt: Slack answered "
                + "HTTP 403: invalid_token (not retried)");

    int unknown =
        Main.execute(
            new String[] {"alerts", "test", "pager", "--config", config},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(unknown).isEqualTo(2);
    assertThat(err.toString())
        .contains("no channel named 'pager' under alerts.channels; the channels are: ops");
  }
}
