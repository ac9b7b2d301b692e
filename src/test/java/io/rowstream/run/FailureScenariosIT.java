package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fatal errors and config errors, through the command line. */
class FailureScenariosIT {
  @TempDir Path dir;

  private Project customers(String endpoint) {
    return new Project(dir)
        .sql("create table customers as select i as id, 'n' || i as name from range(1, 11) t(i)")
        .config(
            endpoint,
            """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: s
            """);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anUnreachableEndpointFailsTheRunAfterTheOutageBoundNamingTheCause() throws IOException {
    Project p =
        customers("http://127.0.0.1:" + closedPort())
            .destinationSettings("    outage_timeout: 1s\n");
    Project.Result r = p.cli("run", "customers", "--json");
    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode summary = SyncScenarios.parse(r.out());
    assertThat(summary.get("status").asText()).isEqualTo("failed");
    assertThat(summary.get("error").asText())
        .startsWith("endpoint_unreachable: the Kinesis endpoint gave no answer for")
        .contains("(outage_timeout 1s)")
        .contains("cannot reach the Kinesis endpoint in region us-east-1 at http://127.0.0.1:")
        .contains("Connection refused");
    assertThat(summary.get("rejections").size()).as("Kinesis refused nothing").isZero();
    assertThat(r.err()).doesNotContain("test-secret").doesNotContain("at io.rowstream");

    Project.Result runs = p.cli("runs", "customers");
    assertThat(runs.out()).contains("failed").contains("cannot reach the Kinesis endpoint");
  }

  @Test
  void aFailingSourceQueryFailsTheRunWithTheDatabasesMessage() {
    Project p = customers("http://127.0.0.1:1");
    p.sql("drop table customers");
    Project.Result r = p.cli("run", "customers");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("source model: query failed").contains("customers does not exist");
  }

  @Test
  void aMissingPrimaryKeyColumnFailsNamingTheColumns() {
    Project p = customers("http://127.0.0.1:1");
    p.sql("alter table customers rename column id to customer_id");
    Project.Result r = p.cli("run", "customers");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("primary key column 'id' is not among the query's columns: customer_id, name");
  }

  @Test
  void aBadConfigExitsTwoBeforeAnythingRunsWithFileLineAndKey() throws IOException {
    Project p = customers("http://127.0.0.1:1");
    Path config = dir.resolve("rowstream.yaml");
    Files.writeString(
        config,
        Files.readString(config).replace("primary_key: id", "primary_key: id\n    on: [deleted]"));
    Project.Result r = p.cli("run", "customers");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "rowstream: [config_invalid] the config has 1 problem:"
                + System.lineSeparator()
                + "  "
                + config
                + ":18: syncs.customers.on: 'deleted' is not an event; valid: added, changed, removed"
                + System.lineSeparator());
    assertThat(dir.resolve(".rowstream")).doesNotExist();

    assertThat(p.cli("validate").exitCode()).isEqualTo(2);
  }

  @Test
  void anUnknownSyncIsAUsageError() {
    Project.Result r = customers("http://127.0.0.1:1").cli("run", "customer");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no sync named 'customer'").contains("the syncs are: customers");
  }

  @Test
  void validatePassesAGoodConfig() {
    Project.Result r = customers("http://127.0.0.1:1").cli("validate");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("is valid: 1 source(s), 1 destination(s), 1 sync(s)");
  }
}
