package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.Recipient;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Triggers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsConfigTest {
  private static final String BASE =
      """
      sources:
        model: {type: duckdb, path: model.duckdb}
      destinations:
        events:
          type: kinesis
          region: us-east-1
      syncs:
        customers:
          source: model
          table: customers
          primary_key: id
          destination: events
          stream: s
        orders:
          source: model
          table: orders
          primary_key: id
          destination: events
          stream: o
      """;

  private static final String ALERTS =
      """
      server:
        public_url: https://rowstream.example.com/
      alerts:
        channels:
          ops:      {type: slack, webhook_url: "${SLACK_WEBHOOK_URL}"}
          oncall:   {type: pagerduty, routing_key: "${PD_ROUTING_KEY}"}
          team:     {type: email, smtp_host: smtp.example.com, smtp_port: 587, starttls: true,
                     username: "${SMTP_USER}", password: "${SMTP_PASSWORD}", from: rowstream@example.com,
                     to: [data-team@example.com]}
          phone:    {type: sms, account_sid: "${TWILIO_SID}", auth_token: "${TWILIO_TOKEN}",
                     from: "+15550001111", to: ["+15550002222"]}
          hook:     {type: webhook, url: https://example.com/rowstream, secret: "${HOOK_SECRET}"}
        recipients:
          - {channel: oncall, level: critical}
          - {channel: ops, level: warning}
        triggers:
          fatal_error: {}
          rejected_rows: {warning: 1, critical: 10%}
          slow_run: {warning: 30m}
          data_drop: {warning: 20%}
          stale: {critical: 6h}
      """;

  private static final Map<String, String> ENV =
      Map.of(
          "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/slack-secret-path",
          "PD_ROUTING_KEY", "pd-routing-key-secret",
          "SMTP_USER", "mailer",
          "SMTP_PASSWORD", "smtp-password-secret",
          "TWILIO_SID", "AC0123456789abcdef0123456789abcdef",
          "TWILIO_TOKEN", "twilio-token-secret",
          "HOOK_SECRET", "hook-signing-secret-0123456789");

  @TempDir Path dir;

  private ConfigResult read(String yaml) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml);
    return ConfigReader.read(file, ENV);
  }

  private List<String> problems(String yaml) throws IOException {
    String prefix = dir.resolve("rowstream.yaml") + ":";
    return read(yaml).problems().stream()
        .map(p -> p.toString().substring(prefix.length()))
        .toList();
  }

  @Test
  void theIssuesExampleReadsWithEveryChannelRecipientAndTrigger() throws IOException {
    ConfigResult result = read(BASE + ALERTS);
    assertThat(result.problems()).isEmpty();
    RowstreamConfig config = result.config().orElseThrow();
    AlertsConfig alerts = config.alerts();
    assertThat(alerts.channels().keySet())
        .containsExactly("ops", "oncall", "team", "phone", "hook");
    assertThat(alerts.channels().get("oncall"))
        .isEqualTo(
            new AlertsConfig.PagerDuty(
                "oncall",
                new io.rowstream.core.Secret("pd-routing-key-secret"),
                URI.create("https://events.pagerduty.com/v2/enqueue")));
    AlertsConfig.Email team = (AlertsConfig.Email) alerts.channels().get("team");
    assertThat(team.smtpPort()).isEqualTo(587);
    assertThat(team.starttls()).isTrue();
    assertThat(team.to()).containsExactly("data-team@example.com");
    AlertsConfig.Sms phone = (AlertsConfig.Sms) alerts.channels().get("phone");
    assertThat(phone.apiUrl()).isEqualTo(URI.create("https://api.twilio.com"));
    assertThat(phone.to()).containsExactly("+15550002222");
    assertThat(alerts.recipients())
        .containsExactly(
            new Recipient("oncall", Level.CRITICAL), new Recipient("ops", Level.WARNING));
    Triggers t = alerts.triggersFor(config.sync("customers"));
    assertThat(t.rejectedRows().warning()).contains(new Amount.Count(1));
    assertThat(t.rejectedRows().critical()).contains(new Amount.Share(10));
    assertThat(t.slowRun().warning()).contains(new SlowBy.Longer(Duration.ofMinutes(30)));
    assertThat(t.dataDropPercent().warning()).contains(20);
    assertThat(t.stale().critical()).contains(Duration.ofHours(6));
    assertThat(alerts.publicUrl()).contains(URI.create("https://rowstream.example.com"));
  }

  @Test
  void everySecretIsRegisteredAndNoneIsInTheConfigsText() throws IOException {
    RowstreamConfig config = read(BASE + ALERTS).config().orElseThrow();
    assertThat(config.secretValues())
        .contains(
            ENV.get("SLACK_WEBHOOK_URL"),
            "pd-routing-key-secret",
            "smtp-password-secret",
            "twilio-token-secret",
            "hook-signing-secret-0123456789",
            "https://example.com/rowstream");
    assertThat(config.toString())
        .doesNotContain(
            "slack-secret-path",
            "pd-routing-key-secret",
            "smtp-password-secret",
            "twilio-token-secret",
            "hook-signing-secret");
  }

  @Test
  void withoutAnAlertsSectionOnlyTheAlwaysOnTriggersApplyAndNobodyIsNotified() throws IOException {
    RowstreamConfig config = read(BASE).config().orElseThrow();
    assertThat(config.alerts().channels()).isEmpty();
    assertThat(config.alerts().recipientsFor(config.sync("customers"))).isEmpty();
    assertThat(config.alerts().triggersFor(config.sync("customers"))).isEqualTo(Triggers.DEFAULTS);
    assertThat(Triggers.DEFAULTS.slowRun().isOff()).isTrue();
    assertThat(Triggers.DEFAULTS.dataDropPercent().isOff()).isTrue();
    assertThat(Triggers.DEFAULTS.stale().isOff()).isTrue();
  }

  @Test
  void aSyncOverridesRecipientsAndSomeTriggersItsDestinationAndTheDefaultsTheRest()
      throws IOException {
    String yaml =
        (BASE + ALERTS)
            .replace(
                "    region: us-east-1\n",
                """
                region: us-east-1
                alerts:
                  recipients: [{channel: team}]
                  triggers: {slow_run: {critical: 3x}}
            """)
            .replace(
                "    stream: s\n",
                """
                stream: s
                alerts:
                  recipients: [{channel: hook, level: critical}]
                  triggers:
                    rejected_rows: {warning: 5%}
            """);
    RowstreamConfig config = read(yaml).config().orElseThrow();
    AlertsConfig alerts = config.alerts();
    SyncConfig customers = config.sync("customers");
    SyncConfig orders = config.sync("orders");
    assertThat(alerts.recipientsFor(customers))
        .containsExactly(new Recipient("hook", Level.CRITICAL));
    assertThat(alerts.recipientsFor(orders)).containsExactly(new Recipient("team", Level.WARNING));
    Triggers c = alerts.triggersFor(customers);
    assertThat(c.rejectedRows().warning()).contains(new Amount.Share(5));
    assertThat(c.rejectedRows().critical()).isEmpty();
    assertThat(c.slowRun().critical()).contains(new SlowBy.Factor(3));
    assertThat(c.stale().critical()).contains(Duration.ofHours(6));
    Triggers o = alerts.triggersFor(orders);
    assertThat(o.rejectedRows().critical()).contains(new Amount.Share(10));
    assertThat(o.slowRun().critical()).contains(new SlowBy.Factor(3));
    assertThat(o.slowRun().warning()).isEmpty();
  }

  @Test
  void anUnknownChannelTypeIsAConfigErrorWithASuggestion() throws IOException {
    assertThat(problems(BASE + ALERTS.replace("type: slack", "type: slak")))
        .containsExactly(
            "24: alerts.channels.ops.type: 'slak' is not a channel type; did you mean 'slack'? "
                + "Valid: slack, pagerduty, email, sms, webhook");
  }

  @Test
  void aRecipientNamingAnUnknownChannelListsTheDeclaredOnes() throws IOException {
    assertThat(
            problems(
                BASE
                    + ALERTS.replace(
                        "{channel: ops, level: warning}", "{channel: opps, level: warning}")))
        .containsExactly(
            "34: alerts.recipients[1].channel: no channel named 'opps'; did you mean 'ops'?; declared: "
                + "ops, oncall, team, phone, hook");
  }

  @Test
  void aBadLevelIsAConfigError() throws IOException {
    assertThat(problems(BASE + ALERTS.replace("level: critical}", "level: page}")))
        .containsExactly(
            "33: alerts.recipients[0].level: 'page' is not a level; valid: critical (CRITICAL only), "
                + "warning (WARNING and CRITICAL; the default)");
  }

  @Test
  void thresholdsThatAreNotValidNameWhatWouldBe() throws IOException {
    String yaml =
        BASE
            + ALERTS
                .replace(
                    "rejected_rows: {warning: 1, critical: 10%}",
                    "rejected_rows: {warning: 0, critical: 150%}")
                .replace("slow_run: {warning: 30m}", "slow_run: {warning: 3y, critical: 1x}")
                .replace("data_drop: {warning: 20%}", "data_drop: {warning: 20}")
                .replace("stale: {critical: 6h}", "stale: {critical: 10s, warnin: 1h}");
    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "37: alerts.triggers.rejected_rows.warning: '0' is not valid; expected a number of rows such as 1, or a share "
                + "of the rows the run tried to send such as 10%",
            "37: alerts.triggers.rejected_rows.critical: '150%' is not valid; expected a number of rows such as 1, or a "
                + "share of the rows the run tried to send such as 10%",
            "38: alerts.triggers.slow_run.warning: '3y' is not valid; expected a duration such as 30m or 1h30m, or a "
                + "factor of the median of the last 10 runs such as 3x",
            "38: alerts.triggers.slow_run.critical: '1x' is not valid; expected a duration such as 30m or 1h30m, or a "
                + "factor of the median of the last 10 runs such as 3x",
            "39: alerts.triggers.data_drop.warning: '20' is not valid; expected a percentage from 1% to 100% such as 20%",
            "40: alerts.triggers.stale.critical: '10s' is not valid; expected a duration from 1m such as 6h or 1d",
            "40: alerts.triggers.stale.warnin: unknown key; did you mean 'warning'? Valid keys here: warning, critical");
  }

  @Test
  void aCriticalThresholdBelowItsWarningIsAConfigError() throws IOException {
    String yaml =
        BASE
            + ALERTS
                .replace(
                    "rejected_rows: {warning: 1, critical: 10%}",
                    "rejected_rows: {warning: 10%, critical: 5%}")
                .replace("slow_run: {warning: 30m}", "slow_run: {warning: 30m, critical: 10m}")
                .replace("data_drop: {warning: 20%}", "data_drop: {warning: 20%, critical: 10%}");
    assertThat(problems(yaml))
        .containsExactly(
            "37: alerts.triggers.rejected_rows.critical: '5%' is below warning '10%'; CRITICAL must be the same or worse "
                + "than WARNING",
            "38: alerts.triggers.slow_run.critical: '10m' is below warning '30m'; CRITICAL must be the same or worse than "
                + "WARNING",
            "39: alerts.triggers.data_drop.critical: '10%' is below warning '20%'; CRITICAL must be the same or worse than "
                + "WARNING");
  }

  @Test
  void aCountAndAShareOrADurationAndAFactorMayBeMixed() throws IOException {
    String yaml =
        BASE + ALERTS.replace("slow_run: {warning: 30m}", "slow_run: {warning: 3x, critical: 30m}");
    RowstreamConfig config = read(yaml).config().orElseThrow();
    Triggers t = config.alerts().triggersFor(config.sync("customers"));
    assertThat(t.slowRun().warning()).contains(new SlowBy.Factor(3));
    assertThat(t.slowRun().critical()).contains(new SlowBy.Longer(Duration.ofMinutes(30)));
  }

  @Test
  void channelSettingsAreCheckedWithoutEchoingSecrets() throws IOException {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("SLACK_WEBHOOK_URL", "not a url with secret-token-xyz");
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(
        file,
        BASE
            + ALERTS
                .replace("smtp_port: 587", "smtp_port: 99999")
                .replace("to: [data-team@example.com]", "to: [data-team]")
                .replace("from: \"+15550001111\"", "from: 5550001111")
                .replace("secret: \"${HOOK_SECRET}\"", "secret: short"));
    List<String> problems =
        ConfigReader.read(file, env).problems().stream().map(ConfigProblem::toString).toList();
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .endsWith(
                        ":24: alerts.channels.ops.webhook_url: is not an "
                            + "http(s) URL (not shown: it may hold a token); expected the Slack incoming webhook URL, such as ${SLACK_WEBHOOK_URL}"));
    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).contains("alerts.channels.team.smtp_port: '99999' is not a port"));
    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).contains("alerts.channels.team.to: 'data-team' is not valid"));
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "alerts.channels.phone.from: '5550001111' is not a "
                            + "phone number in E.164 form"));
    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).contains("alerts.channels.hook.secret: is too short to sign with"));
    assertThat(String.join("\n", problems))
        .doesNotContain("secret-token-xyz", "smtp-password-secret");
  }

  @Test
  void aBadPublicUrlIsAConfigError() throws IOException {
    assertThat(
            problems(
                BASE + ALERTS.replace("https://rowstream.example.com/", "rowstream.example.com")))
        .containsExactly(
            "21: server.public_url: 'rowstream.example.com' is not an http(s) URL; expected where users "
                + "open the web UI, such as https://rowstream.example.com");
  }

  @Test
  void recipientsDefaultToWarningAndAChannelListedTwiceIsAnError() throws IOException {
    RowstreamConfig config =
        read(BASE + ALERTS.replace("{channel: ops, level: warning}", "{channel: ops}"))
            .config()
            .orElseThrow();
    assertThat(config.alerts().recipients()).contains(new Recipient("ops", Level.WARNING));
    assertThat(
            problems(BASE + ALERTS.replace("{channel: ops, level: warning}", "{channel: oncall}")))
        .containsExactly(
            "34: alerts.recipients[1].channel: channel 'oncall' is listed twice; give it once");
    assertThat(Optional.of(config.alerts().triggers())).isPresent();
  }

  @Test
  void validateExitsTwoWithFileLineAndKeyForAnAlertsMistake() throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(
        file,
        BASE
            + """
        alerts:
          channels:
            ops: {type: slack, webhook_url: "https://hooks.slack.com/services/T/B/x"}
          recipients:
            - {channel: ops, level: info}
        """);
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        io.rowstream.cli.Main.execute(
            new String[] {"validate", "--config", file.toString()},
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(file + ":24: alerts.recipients[0].level: 'info' is not a level")
        .doesNotContain("hooks.slack.com");
  }
}
