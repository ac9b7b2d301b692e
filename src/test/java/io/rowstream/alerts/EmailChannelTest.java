package io.rowstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.config.RowstreamConfig;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Email by SMTP into GreenMail, a real SMTP server on loopback that checks the login. */
class EmailChannelTest {
  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig().withUser("mailer", "smtp-password-secret"))
          .withPerMethodLifecycle(true);

  @TempDir Path dir;

  private RowstreamConfig config(AlertsFixture fixture, String password, boolean starttls) {
    return fixture.config(
        """
        server:
          public_url: https://rowstream.example.com
        alerts:
          channels:
            team: {type: email, smtp_host: 127.0.0.1, smtp_port: %d, starttls: %s,
                   username: mailer, password: "${SMTP_PASSWORD}", from: rowstream@example.com,
                   to: [data-team@example.com, oncall@example.com]}
          recipients: [{channel: team}]
        """
            .formatted(SMTP.getSmtp().getPort(), starttls),
        Map.of("SMTP_PASSWORD", password));
  }

  @Test
  void aCriticalArrivesAsPlainTextAndHtmlToEveryAddressAfterLoggingIn() throws Exception {
    AlertsFixture fixture = new AlertsFixture(dir);
    RowstreamConfig config = config(fixture, "smtp-password-secret", false);
    Alerting.Report report =
        fixture
            .alerting(config)
            .afterRun(
                config.sync("customers"),
                fixture.failed(
                    "stream 's' was not found in region us-east-1 (destination events); create it"));

    assertThat(report.sent())
        .singleElement()
        .satisfies(s -> assertThat(s.delivered()).as(s.outcome()).isTrue());
    assertThat(SMTP.waitForIncomingEmail(5_000, 2)).isTrue();
    MimeMessage[] received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage mail = received[0];
    assertThat(mail.getSubject()).isEqualTo("[CRITICAL] customers: fatal_error");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("rowstream@example.com");
    assertThat(mail.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("data-team@example.com", "oncall@example.com");
    Multipart parts = (Multipart) mail.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getCount()).isEqualTo(2);
    BodyPart text = parts.getBodyPart(0);
    BodyPart html = parts.getBodyPart(1);
    assertThat(text.getContentType()).startsWith("text/plain");
    assertThat((String) text.getContent())
        .contains("Sync: customers")
        .contains("Trigger: fatal_error")
        .contains("State: CRITICAL (was OK)")
        .contains("Error: stream_not_found: stream 's' was not found")
        .contains("Link: https://rowstream.example.com/runs/run-1");
    assertThat(html.getContentType()).startsWith("text/html");
    assertThat((String) html.getContent())
        .contains("<th align=\"left\" valign=\"top\">Sync</th><td>customers</td>")
        .contains("stream &#39;s&#39; was not found")
        .contains("<a href=\"https://rowstream.example.com/runs/run-1\">");
  }

  @Test
  void withStarttlsTheLoginAndTheMessageTravelOnlyAfterTheTlsHandshake() throws Exception {
    AlertsFixture fixture = new AlertsFixture(dir);
    try (StarttlsProxy proxy = new StarttlsProxy(SMTP.getSmtp().getPort())) {
      RowstreamConfig config =
          fixture.config(
              """
          alerts:
            channels:
              team: {type: email, smtp_host: 127.0.0.1, smtp_port: %d, starttls: true,
                     username: mailer, password: smtp-password-secret, from: rowstream@example.com,
                     to: [data-team@example.com]}
            recipients: [{channel: team}]
          """
                  .formatted(proxy.port()),
              Map.of());
      Properties trustTestCertificate = new Properties();
      trustTestCertificate.put("mail.smtp.ssl.trust", "127.0.0.1");
      trustTestCertificate.put("mail.smtp.ssl.checkserveridentity", "false");
      Alerting alerting =
          fixture.alerting(
              config,
              new Alerting.Settings(
                  Duration.ofSeconds(8),
                  Duration.ofSeconds(3),
                  Duration.ofMillis(20),
                  trustTestCertificate));
      SentNotification sent =
          alerting.afterRun(config.sync("customers"), fixture.failed("boom")).sent().get(0);

      assertThat(sent.delivered()).as(sent.outcome()).isTrue();
      assertThat(sent.attempts()).isEqualTo(1);
      assertThat(proxy.handshakes()).isEqualTo(1);
      assertThat(proxy.plainCommands()).hasSize(2).first().asString().startsWith("EHLO");
      assertThat(proxy.plainCommands().get(1)).isEqualTo("STARTTLS");
      assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
      assertThat(SMTP.getReceivedMessages()[0].getSubject())
          .isEqualTo("[CRITICAL] customers: fatal_error");
    }
  }

  @Test
  void aWrongPasswordIsReportedWithoutRetryingOrShowingIt() {
    AlertsFixture fixture = new AlertsFixture(dir);
    RowstreamConfig config = config(fixture, "wrong-password-value", false);
    SentNotification sent =
        fixture
            .alerting(config)
            .afterRun(config.sync("customers"), fixture.failed("boom"))
            .sent()
            .get(0);

    assertThat(sent.delivered()).isFalse();
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(sent.detail())
        .isEqualTo(
            "SMTP 127.0.0.1:"
                + SMTP.getSmtp().getPort()
                + " refused the login of the configured username (not retried)");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void starttlsRequiredIsNeverSkippedWhenTheServerDoesNotOfferIt() {
    AlertsFixture fixture = new AlertsFixture(dir);
    RowstreamConfig config = config(fixture, "smtp-password-secret", true);
    SentNotification sent =
        fixture
            .alerting(config)
            .afterRun(config.sync("customers"), fixture.failed("boom"))
            .sent()
            .get(0);

    assertThat(sent.delivered()).isFalse();
    assertThat(sent.detail()).contains("STARTTLS");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }
}
