package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync_log:} at the top and per sync: defaults, overrides, and every mistake named. */
class SyncLogConfigTest {
  private static final String BASE =
      """
      sources:
        warehouse: {type: duckdb, path: demo.duckdb}
        audit: {type: postgres, url: "jdbc:postgresql://127.0.0.1:5432/a", user: u, password: p}
        shop: {type: mysql, url: "jdbc:mysql://127.0.0.1:3306/shop"}
        mem: {type: duckdb, path: ":memory:"}
      destinations:
        events: {type: kinesis, region: us-east-1}
      %s
      syncs:
        customers:
          source: warehouse
          table: customers
          primary_key: id
          destination: events
          stream: customer-events
      %s
        orders:
          source: warehouse
          table: orders
          primary_key: id
          destination: events
          stream: order-events
      """;

  @TempDir Path dir;

  private ConfigResult read(String top, String customers) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, BASE.formatted(top, customers));
    return ConfigReader.read(file, Map.of());
  }

  private List<String> problems(String top, String customers) throws IOException {
    return read(top, customers).problems().stream()
        .map(p -> p.line() + ": " + p.key() + ": " + p.message())
        .toList();
  }

  @Test
  void withoutSyncLogNoSyncWritesOne() throws IOException {
    RowstreamConfig config = read("", "").config().orElseThrow();
    assertThat(config.syncLog("customers")).isEmpty();
    assertThat(config.syncLog("orders")).isEmpty();
  }

  @Test
  void aTopLevelSyncLogAppliesToEverySyncWithTheDefaultSchema() throws IOException {
    RowstreamConfig config = read("sync_log: {source: audit}", "").config().orElseThrow();
    assertThat(config.syncLog("customers"))
        .contains(new SyncLogConfig("audit", SyncLogConfig.DEFAULT_SCHEMA));
    assertThat(config.syncLog("orders")).contains(new SyncLogConfig("audit", "rowstream_audit"));
  }

  @Test
  void aSyncsOwnSyncLogWinsAndFalseSwitchesItOff() throws IOException {
    RowstreamConfig config =
        read("sync_log: {source: audit}", "    sync_log: {source: warehouse, schema: logs}")
            .config()
            .orElseThrow();
    assertThat(config.syncLog("customers")).contains(new SyncLogConfig("warehouse", "logs"));
    assertThat(config.syncLog("orders")).contains(new SyncLogConfig("audit", "rowstream_audit"));

    RowstreamConfig off =
        read("sync_log: {source: audit}", "    sync_log: false").config().orElseThrow();
    assertThat(off.syncLog("customers")).isEmpty();
    assertThat(off.syncLog("orders")).isPresent();
  }

  @Test
  void anUnknownSourceIsNamedWithTheNearestOne() throws IOException {
    assertThat(problems("sync_log: {source: audt}", ""))
        .containsExactly(
            "8: sync_log.source: no source named 'audt'; did you mean 'audit'?; declared: "
                + "warehouse, audit, shop, mem");
  }

  @Test
  void aSourceThatCannotHoldALogIsAConfigError() throws IOException {
    assertThat(problems("sync_log: {source: shop}", ""))
        .containsExactly(
            "8: sync_log.source: source 'shop' is a mysql source; a sync log is written to a "
                + "postgres source or a duckdb file");
    assertThat(problems("", "    sync_log: {source: mem}"))
        .singleElement()
        .asString()
        .startsWith("16: syncs.customers.sync_log.source: source 'mem' is an in-memory duckdb");
  }

  @Test
  void badShapesKeysAndSchemasAreConfigErrors() throws IOException {
    assertThat(problems("sync_log: audit", ""))
        .containsExactly(
            "8: sync_log: expected {source: NAME, schema: rowstream_audit} (a postgres or duckdb "
                + "source), or false to write no sync log");
    assertThat(problems("sync_log: {source: audit, shema: x}", ""))
        .singleElement()
        .asString()
        .contains("sync_log.shema: unknown key; did you mean 'schema'?");
    assertThat(problems("sync_log: {source: audit, schema: \"audit-log\"}", ""))
        .singleElement()
        .asString()
        .contains("sync_log.schema: 'audit-log' is not a schema name");
    assertThat(problems("sync_log: {schema: logs}", ""))
        .containsExactly(
            "8: sync_log.source: is required: the name of a postgres or duckdb source of this file");
  }

  @Test
  void aSyncLogOfAnInvalidSourceReportsOnlyTheSourcesProblem() throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(
        file,
        BASE.formatted("sync_log: {source: audit}", "")
            .replace("\"jdbc:postgresql://127.0.0.1:5432/a\"", "nope"));
    assertThat(ConfigReader.read(file, Map.of()).problems())
        .isNotEmpty()
        .extracting(ConfigProblem::key)
        .allMatch(key -> key.equals("sources.audit.url"));
  }
}
