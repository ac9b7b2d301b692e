package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.EchoingKinesis;
import io.rowstream.testing.FakeSts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers and drivers that echo every secret back in their errors: nothing of a secret may reach
 * stdout, stderr, the JSON outputs or the state, whichever command prints it.
 */
class SecretsRedactionIT {
  private static final String SOURCE_KEY = "AKIASOURCEKEY0000001";
  private static final String SECRET_KEY = "sk-Very-Secret-Key-0001";
  private static final String SESSION_TOKEN = "tok/Session+Token=0002";
  private static final String EXTERNAL_ID = "ext-id-shared-0003";
  private static final String DB_PASSWORD = "Pa55-word-0004";
  private static final String ENDPOINT_PASSWORD = "Endpoint-Pass-0005";
  private static final List<String> SECRETS = List.of(SECRET_KEY, SESSION_TOKEN, EXTERNAL_ID);

  /** Everything a server could echo: each secret as written and URL-encoded. */
  private static final String ECHO =
      String.join(" ", SECRETS)
          + " "
          + String.join(
              " ",
              SECRETS.stream().map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)).toList());

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
  private FakeSts sts;
  private EchoingKinesis kinesis;
  private final List<Project.Result> printed = new ArrayList<>();

  @AfterEach
  void stop() {
    if (sts != null) {
      sts.close();
    }
    if (kinesis != null) {
      kinesis.close();
    }
  }

  private Project.Result cli(Project p, String... args) {
    Project.Result r = p.cli(args);
    printed.add(r);
    return r;
  }

  private Project customers(String endpoint, String credentials) {
    return new Project(dir)
        .sql(
            "create table customers as select i as id, 'customer ' || i as name from range(1, 21) t(i)")
        .config(endpoint, credentials, SYNC);
  }

  private static String runId(Project.Result run) {
    JsonNode summary = SyncScenarios.parse(run.out());
    return summary.path("run_id").asText();
  }

  /** Every command that prints what a server said, for a run that has happened. */
  private void everyOutput(Project p, String runId) {
    cli(p, "runs", "customers");
    cli(p, "runs", "customers", "--json");
    cli(p, "runs", "customers", "--rejections", runId);
    cli(p, "debug", runId);
    cli(p, "debug", runId, "--json");
    cli(p, "debug", runId, "--key", "1");
    cli(p, "debug", runId, "--key", "1", "--json");
    cli(p, "preview", "customers", "-n", "2");
    cli(p, "check", "kinesis");
    cli(p, "check", "kinesis", "--json");
  }

  private void assertNoSecretPrintedOrStored(List<String> secrets) {
    assertThat(printed).isNotEmpty();
    for (Project.Result r : printed) {
      for (String secret : secrets) {
        assertThat(r.out()).as("stdout").doesNotContain(secret).doesNotContain(encoded(secret));
        assertThat(r.err()).as("stderr").doesNotContain(secret).doesNotContain(encoded(secret));
      }
    }
    String state = stateText();
    for (String secret : secrets) {
      assertThat(state).as("the state").doesNotContain(secret).doesNotContain(encoded(secret));
    }
  }

  private static String encoded(String secret) {
    return URLEncoder.encode(secret, StandardCharsets.UTF_8);
  }

  /** Every value of every table of the sync's state file, as text. */
  private String stateText() {
    Path file = dir.resolve(".rowstream").resolve("customers.duckdb");
    if (!Files.exists(file)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    Properties props = new Properties();
    props.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, props);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("select * from \"" + table + "\"")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              all.append(rs.getString(i)).append('\t');
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    // the run history (SQLite, its WAL) and any other file of the state folder, byte for byte
    try (var files = Files.walk(dir.resolve(".rowstream"))) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(file)).toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\t');
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(all).as("the state holds runs").contains("customers");
    return all.toString();
  }

  @Test
  void anStsRefusalQuotingTheExternalIdSecretKeyAndSessionTokenReachesNoOutputAndNoStoredRecord() {
    sts = FakeSts.start(Duration.ofHours(1));
    sts.refuse(
        "not authorized for external id "
            + EXTERNAL_ID
            + " with key "
            + SECRET_KEY
            + " and token "
            + SESSION_TOKEN
            + " ("
            + encoded(SESSION_TOKEN)
            + ")");
    kinesis = EchoingKinesis.start(ECHO, EchoingKinesis.PutRecords.REFUSE_EACH_RECORD);
    Project p =
        customers(
            kinesis.endpoint(),
            """
        access_key_id: %s
        secret_access_key: %s
        session_token: %s
        role_arn: arn:aws:iam::123456789012:role/rowstream-writer
        external_id: %s
        sts_endpoint: %s
        """
                .formatted(SOURCE_KEY, SECRET_KEY, SESSION_TOKEN, EXTERNAL_ID, sts.endpoint()));

    Project.Result run = cli(p, "run", "customers", "--json");
    Project.Result line = cli(p, "run", "customers");
    everyOutput(p, runId(run));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(run.out()).path("error").asText())
        .contains("could not assume role arn:aws:iam::123456789012:role/rowstream-writer")
        .contains("not authorized for external id ****");
    assertThat(SyncScenarios.parse(run.out()).path("error_code").asText())
        .isEqualTo("credential_source_failed");
    assertThat(line.out()).contains("failed").contains("****");
    assertThat(sts.requests()).isNotEmpty();
    assertNoSecretPrintedOrStored(SECRETS);
  }

  @Test
  void aKinesisEndpointQuotingTheSecretsInEveryErrorReachesNoOutputAndNoStoredRecord() {
    kinesis = EchoingKinesis.start(ECHO, EchoingKinesis.PutRecords.REFUSE_EACH_RECORD);
    Project p =
        customers(
            kinesis.endpoint(),
            """
        access_key_id: %s
        secret_access_key: %s
        session_token: %s
        """
                .formatted(SOURCE_KEY, SECRET_KEY, SESSION_TOKEN));

    Project.Result run = cli(p, "run", "customers", "--json");
    cli(p, "run", "customers");
    everyOutput(p, runId(run));

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(
            SyncScenarios.parse(run.out())
                .path("rejections")
                .path("InvalidArgumentException")
                .asInt())
        .isEqualTo(20);
    assertThat(printed.get(4).out())
        .as("runs --rejections")
        .contains("InvalidArgumentException")
        .contains("the request held ****");
    assertThat(kinesis.operations()).contains("PutRecords");
    assertNoSecretPrintedOrStored(List.of(SECRET_KEY, SESSION_TOKEN));
  }

  @Test
  void aWholeRequestRefusalQuotingTheSecretsFailsTheRunWithoutThem() {
    kinesis = EchoingKinesis.start(ECHO, EchoingKinesis.PutRecords.DENY_REQUEST);
    Project p =
        customers(
            kinesis.endpoint(),
            """
        access_key_id: %s
        secret_access_key: %s
        session_token: %s
        """
                .formatted(SOURCE_KEY, SECRET_KEY, SESSION_TOKEN));

    Project.Result run = cli(p, "run", "customers", "--json");
    everyOutput(p, runId(run));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(run.out()).path("error").asText())
        .startsWith("access denied")
        .contains("signed with ****");
    assertThat(SyncScenarios.parse(run.out()).path("error_code").asText())
        .isEqualTo("access_denied");
    assertNoSecretPrintedOrStored(List.of(SECRET_KEY, SESSION_TOKEN));
  }

  @Test
  void aMariaDbUrlWithAPasswordThatFailsToConnectPrintsAndStoresNoPassword() throws IOException {
    int closed = closedPort();
    kinesis = EchoingKinesis.start(ECHO, EchoingKinesis.PutRecords.REFUSE_EACH_RECORD);
    Project p = new Project(dir);
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources:
          model:
            type: mysql
            url: jdbc:mariadb://rowuser:%s@127.0.0.1:%d/shop?connectTimeout=2000
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials:
              access_key_id: %s
              secret_access_key: %s
        syncs:
        %s"""
            .formatted(
                DB_PASSWORD, closed, kinesis.endpoint(), SOURCE_KEY, SECRET_KEY, SYNC.indent(2)));

    Project.Result run = cli(p, "run", "customers", "--json");
    cli(p, "run", "customers");
    cli(p, "preview", "customers");
    cli(p, "plan", "customers");
    cli(p, "runs", "customers");
    cli(p, "debug", runId(run));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(run.out()).path("error").asText())
        .contains("cannot connect to")
        .contains("rowuser:****@127.0.0.1");
    assertThat(SyncScenarios.parse(run.out()).path("error_code").asText())
        .isEqualTo("source_unreachable");
    assertNoSecretPrintedOrStored(List.of(DB_PASSWORD, SECRET_KEY));
  }

  @Test
  void checkPrintsAnEndpointWithUserInfoWithoutItsPassword() {
    kinesis = EchoingKinesis.start(ENDPOINT_PASSWORD, EchoingKinesis.PutRecords.REFUSE_EACH_RECORD);
    String endpoint =
        kinesis.endpoint().replace("http://", "http://probe:" + ENDPOINT_PASSWORD + "@");
    Project p =
        customers(
            endpoint,
            """
        access_key_id: %s
        secret_access_key: %s
        """
                .formatted(SOURCE_KEY, SECRET_KEY));

    Project.Result json = cli(p, "check", "kinesis", "--json");
    Project.Result text = cli(p, "check", "kinesis");

    assertThat(SyncScenarios.parse(json.out()).path("endpoint").asText())
        .contains("probe:****@127.0.0.1");
    assertThat(text.out()).contains("probe:****@127.0.0.1");
    for (Project.Result r : printed) {
      assertThat(r.out() + r.err()).doesNotContain(ENDPOINT_PASSWORD).doesNotContain(SECRET_KEY);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
