package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunStatus;
import io.rowstream.store.sqlite.SqliteHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rowstream reset` forgets delivered rows, so the next run sends them again as added. */
class ResetTest {
  @TempDir Path dir;

  private RowstreamConfig config(Project p) throws IOException {
    p.sql("create table customers as select i as id from range(1, 6) t(i)");
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, table: customers, primary_key: id, destination: kinesis, stream: s}
        """);
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    return result.config().orElseThrow();
  }

  @Test
  void resettingSomeKeysSendsOnlyThemAgainAndResettingAllSendsEveryRowAndBothAreInTheHistory()
      throws IOException {
    Project p = new Project(dir);
    RowstreamConfig config = config(p);
    SyncRunner runner =
        new SyncRunner(
            config,
            d -> new RetentionTest.StoringDestination(),
            ProducerSettings.defaults(),
            Clock.systemUTC());
    assertThat(runner.run("customers", SyncRunner.newTally()).counts(EventType.ADDED).sent())
        .isEqualTo(5);
    assertThat(runner.run("customers", SyncRunner.newTally()).sent())
        .as("nothing changed")
        .isZero();

    Project.Result some = p.cli("reset", "customers", "--keys", "2", "4");
    assertThat(some.exitCode()).as(some.err()).isZero();
    assertThat(some.out()).contains("forgot the delivered state of 2 row(s)");
    RunSummary again = runner.run("customers", SyncRunner.newTally());
    assertThat(again.counts(EventType.ADDED).sent()).isEqualTo(2);

    Project.Result all = p.cli("reset", "customers");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(runner.run("customers", SyncRunner.newTally()).counts(EventType.ADDED).sent())
        .isEqualTo(5);

    try (HistoryReader history = SqliteHistory.reader(config.stateDir(), "customers")) {
      assertThat(history.runs(10))
          .filteredOn(r -> r.status() == RunStatus.RESET)
          .extracting(r -> r.counts().rows())
          .containsExactly(5L, 2L);
    }
    assertThat(p.cli("runs", "customers").out()).contains("reset");
  }
}
