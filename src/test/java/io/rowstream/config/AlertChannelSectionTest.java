package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One channel under alerts.channels: its type's settings, each checked. */
class AlertChannelSectionTest {
  @TempDir Path dir;

  private ConfigResult read(String channels) throws IOException {
    return AlertsSectionYaml.read(dir, "channels", channels);
  }

  private List<String> problems(String channels) throws IOException {
    return AlertsSectionYaml.problems(dir, "channels", channels);
  }

  @Test
  void aWellFormedChannelOfEachTypeReadsWithItsDefaults() throws IOException {
    ConfigResult result =
        read(
            """
            ops: {type: slack, webhook_url: https://hooks.slack.com/services/T/B/x}
            pd: {type: pagerduty, routing_key: key, events_url: https://pd.example.com/v2/enqueue/}
            mail: {type: email, smtp_host: smtp.example.com, from: a@example.com, to: b@example.com}
            """);

    assertThat(result.problems()).isEmpty();
    Map<String, AlertsConfig.Channel> channels = result.config().orElseThrow().alerts().channels();
    assertThat(((AlertsConfig.PagerDuty) channels.get("pd")).eventsUrl())
        .isEqualTo(URI.create("https://pd.example.com/v2/enqueue"));
    AlertsConfig.Email mail = (AlertsConfig.Email) channels.get("mail");
    assertThat(mail.smtpPort()).isEqualTo(AlertsConfig.Email.DEFAULT_PORT);
    assertThat(mail.starttls()).isTrue();
    assertThat(mail.to()).containsExactly("b@example.com");
  }

  @Test
  void aUrlThatMayHoldATokenIsRejectedWithoutBeingEchoed() throws IOException {
    List<String> problems = problems("ops: {type: slack, webhook_url: ftp://hooks/secret-token}");

    assertThat(problems)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("alerts.channels.ops.webhook_url: is not an http(s) URL (not shown")
                    .doesNotContain("secret-token"));
  }

  @Test
  void emailNamesEachBadSettingAndWhatWouldBeValid() throws IOException {
    List<String> problems =
        problems(
            """
            mail: {type: email, smtp_host: "bad host", smtp_port: 70000, starttls: maybe,
                   username: me, from: nobody, to: [ok@example.com, not-an-address]}
            """);

    assertThat(problems)
        .anyMatch(p -> p.contains("'bad host' is not a host name"))
        .anyMatch(p -> p.contains("'70000' is not a port; expected 1 to 65535"))
        .anyMatch(p -> p.contains("'maybe' is not valid; expected true or false"))
        .anyMatch(p -> p.contains("username and password go together"))
        .anyMatch(p -> p.contains("'nobody' is not an email address"))
        .anyMatch(p -> p.contains("'not-an-address' is not valid; expected email addresses"));
  }

  @Test
  void smsNeedsATwilioSidAndNumbersInE164Form() throws IOException {
    List<String> problems =
        problems(
            """
            phone: {type: sms, account_sid: XY1, auth_token: t, from: "5550001111", to: []}
            """);

    assertThat(problems)
        .anyMatch(p -> p.contains("account_sid: is not a Twilio account SID"))
        .anyMatch(p -> p.contains("'5550001111' is not a phone number in E.164 form"))
        .anyMatch(p -> p.contains("to: must name at least one"));
  }

  @Test
  void aShortWebhookSecretAndAnUnknownTypeAreProblems() throws IOException {
    List<String> problems =
        problems(
            """
            hook: {type: webhook, url: https://example.com/in, secret: short}
            chat: {type: slak}
            """);

    assertThat(problems)
        .anyMatch(p -> p.contains("secret: is too short to sign with"))
        .anyMatch(p -> p.contains("'slak' is not a channel type; did you mean 'slack'?"));
  }
}
