package io.rowstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunEnd;
import io.rowstream.history.RunStatus;
import io.rowstream.server.api.RunHistory;
import io.rowstream.store.StateBackends;
import io.rowstream.store.sqlite.SqliteHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateHistoryTest {
  @TempDir Path dir;

  private final List<String> opened = new CopyOnWriteArrayList<>();
  private RowstreamConfig config;
  private StateHistory history;

  @BeforeEach
  void project() throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            """
            sources:
              model: {type: duckdb, path: model.duckdb}
            destinations:
              kinesis: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:4567"}
            syncs:
            """);
    for (String sync : List.of("a", "b", "c")) {
      yaml.append(
          "  %s: {source: model, table: t, primary_key: id, destination: kinesis, stream: s}\n"
              .formatted(sync));
    }
    Files.writeString(dir.resolve("rowstream.yaml"), yaml);
    config = ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
    history =
        new StateHistory(
            () -> config,
            (c, sync) -> {
              opened.add(sync);
              return StateBackends.forConfig(c).readHistory(sync);
            });
  }

  private void record(String sync, String runId, String startedAt) {
    try (SqliteHistory h = SqliteHistory.open(config.stateDir(), sync)) {
      h.runStarted(runId, startedAt);
      h.runFinished(
          runId,
          new RunEnd(startedAt, RunStatus.SUCCEEDED, RunCounts.NONE, Optional.empty(), "{}"));
    }
  }

  @Test
  void aStoredRunIsLookedUpInItsOwnSyncsHistoryOnly() {
    record("a", "20261202T100000Z-a1", "2026-12-02T10:00:00Z");
    record("b", "20261202T100000Z-b1", "2026-12-02T10:00:00Z");
    record("c", "20261202T100000Z-c1", "2026-12-02T10:00:00Z");
    record("c", "20261202T100100Z-c2", "2026-12-02T10:01:00Z");
    history.load(config, config.syncs().keySet());
    opened.clear();

    assertThat(history.run("20261202T100000Z-c1"))
        .get()
        .extracting(RunHistory.StoredRun::sync, RunHistory.StoredRun::status)
        .containsExactly("c", "succeeded");
    assertThat(opened).containsExactly("c");
    opened.clear();
    assertThat(history.run("20261202T100000Z-b1"))
        .get()
        .extracting(RunHistory.StoredRun::sync)
        .isEqualTo("b");
    assertThat(opened).containsExactly("b");
  }

  @Test
  void aRunTheServiceStartedIsIndexedAsItStarts() {
    history.load(config, config.syncs().keySet());
    history.started("b", "20261202T110000Z-5");
    record("b", "20261202T110000Z-5", "2026-12-02T11:00:00Z");
    opened.clear();

    assertThat(history.run("20261202T110000Z-5"))
        .get()
        .extracting(RunHistory.StoredRun::sync)
        .isEqualTo("b");
    assertThat(opened).containsExactly("b");
  }

  @Test
  void aRunAnotherProcessRecordedSinceIsFoundTheSlowWayOnceThenDirectly() {
    history.load(config, config.syncs().keySet());
    record("c", "20261202T120000Z-ffffff", "2026-12-02T12:00:00Z"); // e.g. rowstream run c
    opened.clear();

    assertThat(history.run("20261202T120000Z-ffffff"))
        .get()
        .extracting(RunHistory.StoredRun::sync)
        .isEqualTo("c");
    assertThat(opened).containsExactly("a", "b", "c");
    opened.clear();
    assertThat(history.run("20261202T120000Z-ffffff")).isPresent();
    assertThat(opened).containsExactly("c");
  }

  @Test
  void anUnknownRunIsNotFound() {
    record("a", "20261202T100000Z-a1", "2026-12-02T10:00:00Z");
    history.load(config, config.syncs().keySet());
    assertThat(history.run("20261202T100000Z-a2")).isEmpty();
    assertThat(history.run("not-a-run-id")).isEmpty();
  }

  @Test
  void theIndexPacksUsualRunIdsAndKeepsOthersAsText() {
    RunIndex index = new RunIndex();
    index.add("a", "20261202T100000Z-1a2b3c");
    index.add("b", "20261202T100000Z-1a2b3d");
    index.add("c", "legacy-run-7");
    index.add("a", "20261202T100000Z-01a2b3c");
    assertThat(RunIndex.pack("20261202T100000Z-1a2b3c")).isPositive();
    assertThat(RunIndex.pack("20261202T100000Z-01a2b3c")).isEqualTo(-1);
    assertThat(RunIndex.pack("20261302T100000Z-1")).as("no 13th month").isEqualTo(-1);
    assertThat(index.syncOf("20261202T100000Z-1a2b3c")).contains("a");
    assertThat(index.syncOf("20261202T100000Z-1a2b3d")).contains("b");
    assertThat(index.syncOf("20261202T100000Z-01a2b3c")).contains("a");
    assertThat(index.syncOf("legacy-run-7")).contains("c");
    assertThat(index.syncOf("20261202T100000Z-1a2b3e")).isEmpty();
  }

  @Test
  void historyReadersListEveryRunIdNewestFirst() {
    record("a", "20261202T100000Z-1", "2026-12-02T10:00:00Z");
    record("a", "20261202T100100Z-2", "2026-12-02T10:01:00Z");
    try (HistoryReader reader = SqliteHistory.reader(config.stateDir(), "a")) {
      assertThat(reader.runIds()).containsExactly("20261202T100100Z-2", "20261202T100000Z-1");
    }
    try (HistoryReader none = SqliteHistory.reader(config.stateDir(), "b")) {
      assertThat(none.runIds()).isEmpty();
    }
  }
}
