package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync logs written back to the warehouse: a run to kinesalite logs its row and one row per sent
 * (with shard and sequence number) and rejected row, in PostgreSQL and in DuckDB; a log that cannot
 * be written leaves the run succeeded, says so, and is written later exactly once.
 */
class SyncLogIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static final int ROWS = 20;

  @TempDir Path dir;

  /** A project of {@link #ROWS} customers, row 3 too large to send, logging to {@code audit}. */
  private Project project(String stream, String auditSource, String syncLog) throws IOException {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream(stream, 2);
    Project p =
        new Project(dir)
            .customers(ROWS, kinesis.endpoint(), stream)
            .sql("update customers set name = repeat('x', 500) where id = 3");
    Path config = dir.resolve("rowstream.yaml");
    Files.writeString(
        config,
        syncLog
            + "\n"
            + Files.readString(config)
                .replace("sources:\n", "sources:\n  audit: " + auditSource + "\n")
                .replace(
                    "    stream: " + stream,
                    "    stream: " + stream + "\n    max_record_bytes: 300"));
    return p;
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }

  private List<Path> spools() throws IOException {
    Path folder = dir.resolve(".rowstream/sync-logs");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  /** The README's example query: rejections by reason per day. */
  private static String readmeQuery() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```sql\n", readme.indexOf("Rejections by reason per day")) + 7;
    return readme.substring(start, readme.indexOf("```", start)).strip().replaceAll(";$", "");
  }

  private static String runId(Project.Result json) {
    return json.out().replaceAll("(?s).*\"run_id\":\"([^\"]+)\".*", "$1");
  }

  /** The run's row and its events, as the warehouse holds them. */
  private static void assertLogged(Connection c, String runId, List<LandedRecord> landed)
      throws SQLException {
    assertThat(
            rows(
                c,
                "select run_id, sync, status, rows_queried, added_planned, added_sent, "
                    + "added_rejected, changed_sent, removed_sent, error_code, "
                    + "case when finished_at >= started_at then 'ok' end from rowstream_audit.runs"))
        .containsExactly(runId + "|customers|completed_with_errors|20|20|19|1|0|0|null|ok");
    List<String> expectedSent =
        landed.stream()
            .map(
                r ->
                    r.partitionKey() + "|added|sent|null|" + r.shardId() + "|" + r.sequenceNumber())
            .toList();
    assertThat(
            rows(
                c,
                "select primary_key, op, outcome, reason, shard, sequence_number "
                    + "from rowstream_audit.events where outcome = 'sent'"))
        .hasSize(ROWS - 1)
        .containsExactlyInAnyOrderElementsOf(expectedSent);
    assertThat(
            rows(
                c,
                "select run_id, sync, primary_key, op, reason, shard, case when event_at is not null then 'ok' end "
                    + "from rowstream_audit.events where outcome = 'rejected'"))
        .containsExactly(runId + "|customers|3|added|record_too_large|null|ok");
  }

  @Test
  void aRunLogsItsRowAndEverySentAndRejectedRowToPostgresWithCopy() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      Project p =
          project(
              "log-pg",
              "{type: postgres, url: \"jdbc:postgresql://127.0.0.1:%d/postgres\", user: postgres, password: postgres}"
                  .formatted(pg.getPort()),
              "sync_log: {source: audit}");
      Project.Result plan = p.cli("plan", "customers");
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isIn(0, 3);
      assertThat(spools()).as("a dry run spools nothing").isEmpty();

      Project.Result run = p.cli("run", "customers", "--json");
      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
      assertThat(run.out()).contains("\"sync_log\":{\"status\":\"written\",\"events\":20}");
      List<LandedRecord> landed = EMULATORS.get(KinesisEmulator.Kind.KINESALITE).readAll("log-pg");
      assertThat(landed).hasSize(ROWS - 1);
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        assertLogged(c, runId(run), landed);
        assertThat(rows(c, readmeQuery()))
            .singleElement()
            .asString()
            .endsWith("|record_too_large|1");
      }
      assertThat(spools()).as("a written spool is deleted").isEmpty();
    }
  }

  @Test
  void aRunLogsItsRowAndEverySentAndRejectedRowToDuckDbWithTheAppender() throws Exception {
    Project p = project("log-duck", "{type: duckdb, path: audit.duckdb}", "");
    Path config = dir.resolve("rowstream.yaml");
    // per sync, this time
    Files.writeString(
        config,
        Files.readString(config)
            .replace(
                "    max_record_bytes: 300",
                "    max_record_bytes: 300\n    sync_log: {source: audit}"));
    Project.Result run = p.cli("run", "customers", "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out()).contains("\"sync_log\":{\"status\":\"written\",\"events\":20}");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("audit.duckdb"))) {
      assertLogged(
          c, runId(run), EMULATORS.get(KinesisEmulator.Kind.KINESALITE).readAll("log-duck"));
    }
    assertThat(spools()).isEmpty();
  }

  @Test
  void aLogThatCannotBeWrittenLeavesTheRunSucceededAndIsWrittenLaterExactlyOnce() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        // may connect, may not create a schema: the log cannot be written yet
        s.execute("create role logger login password 'logger-Secret-8f3a'");
      }
      Project p =
          project(
              "log-later",
              "{type: postgres, url: \"jdbc:postgresql://127.0.0.1:%d/postgres\", user: logger, password: logger-Secret-8f3a}"
                  .formatted(pg.getPort()),
              "sync_log: {source: audit}");
      p.sql("update customers set name = 'small' where id = 3");
      Path config = dir.resolve("rowstream.yaml");
      Files.writeString(
          config,
          Files.readString(config)
              + """
                others:
                  source: model
                  table: customers
                  primary_key: id
                  destination: kinesis
                  stream: log-later
                  initial_sync: skip
                  sync_log: false
              """);

      Project.Result first = p.cli("run", "customers", "--json");
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(first.out()).contains("\"sync_log\":{\"status\":\"pending\",\"events\":20");
      assertThat(first.err())
          .contains("customers: succeeded")
          .contains("sync log not written [sync_log_failed]")
          .contains("permission denied")
          .contains("written at the next run")
          .doesNotContain("logger-Secret-8f3a");
      assertThat(spools()).hasSize(2);

      p.sql("update customers set name = 'changed' where id <= 2");
      Project.Result second = p.cli("run", "customers", "--json");
      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
      assertThat(second.out())
          .contains("\"status\":\"succeeded\"")
          .contains(
              "\"sync_log\":{\"status\":\"pending\",\"events\":2,\"error_code\":\"sync_log_failed\"")
          .doesNotContain("logger-Secret-8f3a");
      assertThat(second.err()).contains("1 earlier sync log(s) still not written");
      assertThat(spools()).hasSize(4);

      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("grant create on database postgres to logger");
      }
      // the next run of any sync writes what is pending, each run once
      Project.Result other = p.cli("run", "others");
      assertThat(other.exitCode()).as(other.out() + other.err()).isZero();
      assertThat(other.err()).doesNotContain("still not written");
      assertThat(spools()).isEmpty();
      Project.Result again = p.cli("run", "others");
      assertThat(again.exitCode()).isZero();

      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        assertThat(
                rows(
                    c,
                    "select r.run_id, r.status, r.added_sent + r.changed_sent, count(e.run_id) "
                        + "from rowstream_audit.runs r left join rowstream_audit.events e "
                        + "using (run_id) group by 1, 2, 3 order by 1"))
            .containsExactly(runId(first) + "|succeeded|20|20", runId(second) + "|succeeded|2|2");
      }
    }
  }
}
