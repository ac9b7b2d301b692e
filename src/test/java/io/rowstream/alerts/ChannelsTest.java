package io.rowstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.alerts.FakeService.Request;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each HTTP channel's requests, checked against its service's documented API. */
class ChannelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SID = "AC0123456789abcdef0123456789abcdef";
  private static final String HOOK_SECRET = "whsec-0123456789abcdef";
  private static final String FAILURE =
      "stream 's' was not found in region us-east-1 (destination events); create it, "
          + "or fix the sync's stream:";

  @TempDir Path dir;
  private AlertsFixture fixture;
  private FakeService slack;
  private FakeService pagerduty;
  private FakeService twilio;
  private FakeService hook;
  private Alerting alerting;
  private SyncConfig sync;

  @BeforeEach
  void start() {
    fixture = new AlertsFixture(dir);
    slack = new FakeService(200, "ok");
    pagerduty =
        new FakeService(
            202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}");
    twilio = new FakeService(201, "{\"sid\":\"SM0123\",\"status\":\"queued\"}");
    hook = new FakeService(204, "");
    RowstreamConfig config =
        fixture.config(
            """
        server:
          public_url: https://rowstream.example.com
        alerts:
          channels:
            ops: {type: slack, webhook_url: "${SLACK_URL}"}
            oncall: {type: pagerduty, routing_key: "${PD_KEY}", events_url: "%s"}
            phone: {type: sms, account_sid: "%s", auth_token: "${TWILIO_TOKEN}", from: "+15550001111",
                    to: ["+15550002222", "+15550003333"], api_url: "%s"}
            hook: {type: webhook, url: "%s", secret: "${HOOK_SECRET}"}
          recipients:
            - {channel: ops}
            - {channel: oncall, level: critical}
            - {channel: phone, level: critical}
            - {channel: hook}
        """
                .formatted(
                    pagerduty.url("/v2/enqueue"), SID, twilio.url(""), hook.url("/rowstream")),
            Map.of(
                "SLACK_URL",
                slack.url("/services/T000/B000/XXXX").toString(),
                "PD_KEY",
                "R0UTINGKEY0123456789abcdef",
                "TWILIO_TOKEN",
                "twilio-auth-token",
                "HOOK_SECRET",
                HOOK_SECRET));
    alerting = fixture.alerting(config);
    sync = config.sync("customers");
  }

  @AfterEach
  void stop() {
    List.of(slack, pagerduty, twilio, hook).forEach(FakeService::close);
  }

  private void failThenRecover() {
    Alerting.Report failed = alerting.afterRun(sync, fixture.failed(FAILURE));
    Alerting.Report recovered = alerting.afterRun(sync, fixture.succeeded(1000));
    assertThat(failed.sent())
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.delivered()).as(s.outcome()).isTrue());
    assertThat(recovered.sent())
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.delivered()).as(s.outcome()).isTrue());
  }

  @Test
  void slackGetsABlockKitMessageWithTheFactsTheErrorCodeAndTheRunLink() throws IOException {
    failThenRecover();
    assertThat(slack.requests()).hasSize(2);
    Request critical = slack.requests().get(0);
    assertThat(critical.method()).isEqualTo("POST");
    assertThat(critical.path()).isEqualTo("/services/T000/B000/XXXX");
    assertThat(critical.header("Content-Type")).startsWith("application/json");
    JsonNode msg = JSON.readTree(critical.body());
    assertThat(msg.get("text").asText()).isEqualTo("[CRITICAL] customers: fatal_error");
    JsonNode blocks = msg.get("blocks");
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
    assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
    assertThat(blocks.get(0).get("text").get("text").asText())
        .hasSizeLessThanOrEqualTo(150)
        .contains("CRITICAL")
        .contains("customers");
    for (JsonNode block : blocks) {
      assertThat(block.get("type").asText()).isIn("header", "section", "context");
      if (block.has("fields")) {
        assertThat(block.get("fields").size()).isLessThanOrEqualTo(10);
        block.get("fields").forEach(f -> assertThat(f.get("type").asText()).isEqualTo("mrkdwn"));
      }
    }
    String all = msg.toString();
    assertThat(all)
        .contains("*Sync*\\ncustomers")
        .contains("*Trigger*\\nfatal_error")
        .contains("*State*\\nCRITICAL (was OK)")
        .contains("<https://rowstream.example.com/runs/run-1|run-1> failed")
        .contains("stream_not_found: stream 's' was not found")
        .contains("*What to do:* create it (`rowstream streams DEST --create S`)");
    JsonNode recovery = JSON.readTree(slack.requests().get(1).body());
    assertThat(recovery.get("text").asText())
        .isEqualTo("[OK] customers: fatal_error recovered (was CRITICAL)");
  }

  @Test
  void pagerDutyGetsATriggerWithADedupKeyPerSyncAndTriggerAndAResolveOnRecovery()
      throws IOException {
    failThenRecover();
    assertThat(pagerduty.requests()).hasSize(2);
    Request trigger = pagerduty.requests().get(0);
    assertThat(trigger.method()).isEqualTo("POST");
    assertThat(trigger.path()).isEqualTo("/v2/enqueue");
    assertThat(trigger.header("Content-Type")).isEqualTo("application/json");
    JsonNode event = JSON.readTree(trigger.body());
    assertThat(event.get("routing_key").asText()).isEqualTo("R0UTINGKEY0123456789abcdef");
    assertThat(event.get("event_action").asText()).isEqualTo("trigger");
    assertThat(event.get("dedup_key").asText()).isEqualTo("rowstream/customers/fatal_error");
    JsonNode payload = event.get("payload");
    assertThat(payload.get("summary").asText())
        .hasSizeLessThanOrEqualTo(1024)
        .startsWith("[CRITICAL] customers: fatal_error: the run failed: stream 's' was not found");
    assertThat(payload.get("source").asText()).isEqualTo("rowstream/customers");
    assertThat(payload.get("severity").asText()).isEqualTo("critical");
    assertThat(payload.get("component").asText()).isEqualTo("customers");
    assertThat(payload.get("class").asText()).isEqualTo("fatal_error");
    assertThat(payload.get("custom_details").get("run").get("error_code").asText())
        .isEqualTo("stream_not_found");
    assertThat(payload.get("custom_details").get("run").get("run_id").asText()).isEqualTo("run-1");
    assertThat(event.get("links").get(0).get("href").asText())
        .isEqualTo("https://rowstream.example.com/runs/run-1");

    JsonNode resolve = JSON.readTree(pagerduty.requests().get(1).body());
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo("rowstream/customers/fatal_error");
    assertThat(resolve.get("routing_key").asText()).isEqualTo("R0UTINGKEY0123456789abcdef");
    assertThat(resolve.has("payload")).isFalse();
  }

  @Test
  void aWarningIsSentToPagerDutyWithSeverityWarning() throws IOException {
    RowstreamConfig config =
        fixture.config(
            """
        alerts:
          channels:
            oncall: {type: pagerduty, routing_key: "R0UTINGKEY0123456789abcdef", events_url: "%s"}
          recipients: [{channel: oncall}]
        """
                .formatted(pagerduty.url("/v2/enqueue")),
            Map.of());
    fixture.alerting(config).afterRun(config.sync("customers"), fixture.rejected(100, 1));
    JsonNode event = JSON.readTree(pagerduty.requests().get(0).body());
    assertThat(event.get("payload").get("severity").asText()).isEqualTo("warning");
    assertThat(event.get("dedup_key").asText()).isEqualTo("rowstream/customers/rejected_rows");
  }

  @Test
  void twilioGetsOneFormPostPerNumberWithBasicAuthAndA160CharacterBody() {
    failThenRecover();
    assertThat(twilio.requests()).hasSize(4);
    Request first = twilio.requests().get(0);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
    assertThat(first.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(first.header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((SID + ":twilio-auth-token").getBytes(StandardCharsets.UTF_8)));
    List<Map<String, String>> forms = twilio.requests().stream().map(r -> form(r.body())).toList();
    assertThat(forms)
        .extracting(f -> f.get("To"))
        .containsExactly("+15550002222", "+15550003333", "+15550002222", "+15550003333");
    assertThat(forms)
        .allSatisfy(
            f -> {
              assertThat(f.get("From")).isEqualTo("+15550001111");
              assertThat(f.get("Body")).hasSizeLessThanOrEqualTo(160).matches("\\p{ASCII}+");
            });
    assertThat(forms.get(0).get("Body"))
        .isEqualTo("rowstream CRITICAL: customers fatal_error - stream_not_found run run-1");
    assertThat(forms.get(2).get("Body"))
        .isEqualTo("rowstream OK: customers fatal_error recovered (was CRITICAL) run run-2");
  }

  @Test
  void theWebhookBodyIsSignedAsStripeSignsItsWebhooks() throws Exception {
    failThenRecover();
    assertThat(hook.requests()).hasSize(2);
    Request r = hook.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/rowstream");
    assertThat(r.header("Content-Type")).startsWith("application/json");
    String signature = r.header("X-Rowstream-Signature");
    assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
    String t = signature.substring(2, signature.indexOf(','));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        java.util.HexFormat.of()
            .formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(signature).endsWith(",v1=" + expected);
    JsonNode body = JSON.readTree(r.body());
    assertThat(Long.parseLong(t))
        .isEqualTo(java.time.Instant.parse(body.get("at").asText()).getEpochSecond());
    assertThat(r.header("Idempotency-Key")).isEqualTo(body.get("id").asText());
    assertThat(body.get("type").asText()).isEqualTo("alert.state_changed");
    assertThat(body.get("sync").asText()).isEqualTo("customers");
    assertThat(body.get("trigger").asText()).isEqualTo("fatal_error");
    assertThat(body.get("level").asText()).isEqualTo("CRITICAL");
    assertThat(body.get("previous_level").asText()).isEqualTo("OK");
    assertThat(body.get("url").asText()).isEqualTo("https://rowstream.example.com/runs/run-1");
    assertThat(body.get("run").get("status").asText()).isEqualTo("failed");
    assertThat(body.get("run").get("error_code").asText()).isEqualTo("stream_not_found");
    assertThat(JSON.readTree(hook.requests().get(1).body()).get("recovery").asBoolean()).isTrue();
  }

  @Test
  void aRejectedRowsNotificationCarriesTheRunsCountsAndRejectionsByReason() throws IOException {
    alerting.afterRun(
        sync,
        fixture.run(
            io.rowstream.run.RunSummary.Status.COMPLETED_WITH_ERRORS,
            1000,
            40,
            Map.of("record_too_large", 3L, "invalid_json", 2L),
            java.util.Optional.empty(),
            java.time.Duration.ofSeconds(2)));
    JsonNode body = JSON.readTree(hook.requests().get(0).body());
    assertThat(body.get("trigger").asText()).isEqualTo("rejected_rows");
    assertThat(body.get("reason").asText())
        .isEqualTo(
            "5 of 40 rows the run tried to send were rejected (12.5%): "
                + "invalid_json 2, record_too_large 3; WARNING at 1, CRITICAL at 10%");
    assertThat(body.get("run").get("rejections").toString())
        .isEqualTo("{\"invalid_json\":2,\"record_too_large\":3}");
    assertThat(body.get("run").get("added").get("planned").asLong()).isEqualTo(40);
    assertThat(body.get("run").get("rows_queried").asLong()).isEqualTo(1000);
    String slackText = slack.requests().get(0).body();
    assertThat(slackText)
        .contains("*Rejections*\\ninvalid_json 2, record_too_large 3")
        .contains("*Rows*\\n1000 queried; sent added 40/40, changed 0/0, removed 0/0; 5 rejected");
  }

  @Test
  void theTestCommandOpensAndResolvesAPagerDutyAlertAndReportsTheOutcome() throws IOException {
    AlertState.SentNotification sent = alerting.test("oncall");
    assertThat(sent.delivered()).isTrue();
    assertThat(pagerduty.requests()).hasSize(2);
    JsonNode trigger = JSON.readTree(pagerduty.requests().get(0).body());
    JsonNode resolve = JSON.readTree(pagerduty.requests().get(1).body());
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("info");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
    assertThat(alerting.state("customers").notifications()).isEmpty();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
