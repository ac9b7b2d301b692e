package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.EchoingKinesis;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the credentials cannot be had (an STS that cannot be reached or resolved, a profile that
 * does not exist), the run names the credential source that failed, with its error code, and does
 * not retry what cannot succeed; the Kinesis endpoint, which was never the problem, is not blamed
 * and never called.
 */
class CredentialSourceIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/rowstream-writer";
  private static final String SYNC =
      """
      customers:
        source: model
        table: customers
        primary_key: id
        destination: kinesis
        stream: customer-events
      """;

  @TempDir Path dir;
  private EchoingKinesis kinesis;

  @AfterEach
  void stop() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  private Project project(String credentials) {
    kinesis = EchoingKinesis.start("unused", EchoingKinesis.PutRecords.REFUSE_EACH_RECORD);
    return new Project(dir)
        .sql(
            "create table customers as select i as id, 'customer ' || i as name from range(1, 11) t(i)")
        .config(kinesis.endpoint(), credentials, SYNC);
  }

  private static String role(String stsEndpoint) {
    return """
        access_key_id: AKIASOURCEKEY0000001
        secret_access_key: source-secret-0001
        role_arn: %s
        sts_endpoint: %s
        """
        .formatted(ROLE, stsEndpoint);
  }

  /**
   * The run failed naming {@code source}, after at most one attempt, and no request reached
   * Kinesis.
   */
  private void assertFailedOnceNaming(Project p, String source) {
    Project.Result run = p.cli("run", "customers", "--json");
    JsonNode summary = SyncScenarios.parse(run.out());
    String error = summary.path("error").asText();

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(error)
        .contains("could not get credentials from " + source)
        .doesNotContain("Kinesis endpoint");
    assertThat(summary.path("error_code").asText()).isEqualTo("credential_source_failed");
    assertThat(kinesis.operations()).as("requests that reached Kinesis").isEmpty();
    Project.Result debug = p.cli("debug", summary.path("run_id").asText(), "--json");
    JsonNode calls = SyncScenarios.parse(debug.out()).path("calls");
    int puts = 0;
    for (JsonNode call : calls) {
      puts += call.path("operation").asText().equals("PutRecords") ? 1 : 0;
    }
    assertThat(puts).as("PutRecords attempts recorded").isLessThanOrEqualTo(1);

    Project.Result check = p.cli("check", "kinesis");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out())
        .containsPattern(
            "failed\\s+credentials\\s+destination kinesis could not get credentials "
                + "from "
                + java.util.regex.Pattern.quote(source));
  }

  @Test
  void anStsEndpointThatRefusesConnectionsIsNamedAndNotRetried() throws IOException {
    String sts = "http://127.0.0.1:" + closedPort();
    Project p = project(role(sts));

    assertFailedOnceNaming(p, "STS at " + sts + " (AssumeRole of " + ROLE + ")");
  }

  @Test
  void anStsHostThatDoesNotResolveIsNamedAndNotRetried() {
    Project p = project(role("https://sts.no-such-host.invalid"));

    assertFailedOnceNaming(p, "STS at https://sts.no-such-host.invalid");
  }

  @Test
  void aProfileThatDoesNotExistIsNamedAsTheCredentialSource() {
    Project p =
        project(
            """
        profile: rowstream-no-such-profile
        """);

    assertFailedOnceNaming(p, "profile");
    Project.Result run = p.cli("run", "customers");
    assertThat(run.out()).contains("rowstream-no-such-profile");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
