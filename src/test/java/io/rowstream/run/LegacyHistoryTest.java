package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.store.sqlite.SqliteHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run history an older Rowstream kept in the state's DuckDB file moves to the history's file.
 */
class LegacyHistoryTest {
  @TempDir Path dir;

  @Test
  void theFirstRunMovesTheOldRunsAndRejectionsWithTheirCountsAndDropsTheOldTables()
      throws Exception {
    new Project(dir).sql("create table customers as select i as id from range(1, 4) t(i)");
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, table: customers, primary_key: id, destination: kinesis, stream: s}
        """);
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    RowstreamConfig config = result.config().orElseThrow();
    Files.createDirectories(config.stateDir());
    Path state = config.stateDir().resolve("customers.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + state);
        Statement s = c.createStatement()) {
      s.execute(
          "create table runs (run_id varchar primary key, started_at varchar not null, finished_at varchar, "
              + "status varchar not null, summary varchar)");
      s.execute(
          "create table rejections (run_id varchar not null, pk varchar, op varchar, reason varchar not null, "
              + "message varchar not null)");
      s.execute("create table calls (run_id varchar not null, seq bigint not null)");
      s.execute(
          "insert into runs values ('old-run', '2099-01-01T10:00:00Z', '2099-01-01T10:00:05Z', "
              + "'completed_with_errors', '{\"rows_queried\": 7, \"added\": {\"planned\": 7, \"sent\": 6, "
              + "\"rejected\": 1}, \"rejections\": {\"record_too_large\": 1}, \"error\": null}')");
      s.execute(
          "insert into rejections values ('old-run', '5', 'added', 'record_too_large', 'too large')");
    }

    new SyncRunner(
            config,
            d -> new RetentionTest.StoringDestination(),
            ProducerSettings.defaults(),
            Clock.systemUTC())
        .run("customers", SyncRunner.newTally());

    try (HistoryReader history = SqliteHistory.reader(config.stateDir(), "customers")) {
      RunView old = history.run("old-run").orElseThrow();
      assertThat(old.status()).isEqualTo(RunStatus.COMPLETED_WITH_ERRORS);
      assertThat(old.counts().rows()).isEqualTo(7);
      assertThat(old.counts().events(EventType.ADDED).sent()).isEqualTo(6);
      assertThat(old.counts().rejections()).isEqualTo(Map.of("record_too_large", 1L));
      assertThat(history.rejections("old-run", 10))
          .singleElement()
          .satisfies(r -> assertThat(r.key()).isEqualTo("5"));
      assertThat(history.runs(10)).hasSize(2);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + state);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from duckdb_tables() where table_name in "
                    + "('runs', 'rejections', 'calls', 'call_records')")) {
      rs.next();
      assertThat(rs.getLong(1)).as("old history tables left in the state file").isZero();
    }
  }
}
