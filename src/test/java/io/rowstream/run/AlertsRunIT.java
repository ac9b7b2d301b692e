package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.alerts.FakeService;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.SharedEmulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One-shot runs against kinesalite notify a Slack stand-in once per change of state. */
class AlertsRunIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeService slack;

  @BeforeEach
  void start() {
    slack = new FakeService(200, "ok");
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  private KinesisEmulator kinesis() {
    return EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
  }

  private Project project(String stream) throws IOException {
    Project p = new Project(dir).customers(20, kinesis().endpoint(), stream);
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        alerts:
          channels:
            ops: {type: slack, webhook_url: "%s"}
          recipients: [{channel: ops, level: warning}]
        """
            .formatted(slack.url("/services/T0/B0/secret")),
        StandardOpenOption.APPEND);
    return p;
  }

  private List<String> titles() {
    return slack.requests().stream()
        .map(
            r -> {
              try {
                return JSON.readTree(r.body()).get("text").asText();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void aFailingRunAlertsOnceTheNextFailureIsSilentAndASuccessSendsOneRecovery() throws IOException {
    String stream = "alerts-" + UUID.randomUUID();
    Project p = project(stream);

    Project.Result first = p.cli("run", "customers", "--json");
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(JSON.readTree(first.out()).get("status").asText()).isEqualTo("failed");
    assertThat(first.err())
        .contains("alert CRITICAL customers fatal_error (was OK) to ops: sent (1 attempt)");
    assertThat(titles()).containsExactly("[CRITICAL] customers: fatal_error");
    assertThat(slack.requests().get(0).body()).contains("stream_not_found").contains(stream);

    Project.Result second = p.cli("run", "customers");
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err()).doesNotContain("alert ");
    assertThat(titles()).hasSize(1);

    kinesis().createStream(stream, 1);
    Project.Result third = p.cli("run", "customers");
    assertThat(third.exitCode()).isZero();
    assertThat(titles())
        .containsExactly(
            "[CRITICAL] customers: fatal_error",
            "[OK] customers: fatal_error recovered (was CRITICAL)");

    Project.Result alerts = p.cli("alerts");
    assertThat(alerts.exitCode()).isZero();
    assertThat(alerts.out())
        .containsPattern("customers +fatal_error +OK ")
        .containsPattern("fatal_error +ops +CRITICAL->OK +sent \\(1 attempt\\)")
        .containsPattern("fatal_error +ops +OK->CRITICAL +sent \\(1 attempt\\)")
        .doesNotContain("/services/T0/B0/secret");
  }

  @Test
  void aChannelThatStaysDownNeitherFailsNorChangesTheRunAndIsReported() throws IOException {
    String stream = "alerts-" + UUID.randomUUID();
    kinesis().createStream(stream, 1);
    Project p = project(stream);
    p.sql("insert into customers values (null, 'no key')");
    slack.answerFromNowOn(500, "internal_error");

    Project.Result run = p.cli("run", "customers", "--json");

    assertThat(run.exitCode()).isEqualTo(3);
    JsonNode summary = JSON.readTree(run.out());
    assertThat(summary.get("status").asText()).isEqualTo("completed_with_errors");
    assertThat(summary.get("added").get("sent").asLong()).isEqualTo(20);
    assertThat(summary.get("rejections").get("null_primary_key").asLong()).isEqualTo(1);
    assertThat(run.err())
        .containsPattern(
            "alert WARNING customers rejected_rows \\(was OK\\) to ops: FAILED after \\d+ "
                + "attempts: Slack answered HTTP 500: internal_error");
    assertThat(slack.requests().size()).isGreaterThan(1);
    assertThat(kinesis().readAll(stream)).hasSize(20);

    Project.Result alerts = p.cli("alerts", "customers");
    assertThat(alerts.out())
        .containsPattern("customers +rejected_rows +WARNING ")
        .containsPattern("rejected_rows +ops +OK->WARNING +FAILED after \\d+ attempts");
  }
}
