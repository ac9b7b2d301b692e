package io.rowstream.store.historyrows;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.EventType;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history's rows mapped the same way for every dialect, read back from a real database. */
class HistoryRowsTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private Connection db;

  @BeforeEach
  void createTables() throws SQLException {
    db = DriverManager.getConnection("jdbc:sqlite::memory:");
    try (Statement s = db.createStatement()) {
      s.execute(
          "create table runs (run_id text, started_at text, finished_at text, status text,"
              + " phase text, pid integer, reported_ms integer, rows integer,"
              + " added_planned integer, added_sent integer, added_rejected integer,"
              + " changed_planned integer, changed_sent integer, changed_rejected integer,"
              + " removed_planned integer, removed_sent integer, removed_rejected integer,"
              + " skipped integer, invalid integer, error text, summary text)");
      s.execute(
          "create table calls (seq integer, operation text, started_ms integer,"
              + " duration_ms real, attempt integer, http_status integer, request_id text,"
              + " records integer, bytes integer, failed text, error text)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    db.close();
  }

  private void insertRun(String runId, String status, Long pid, Long reportedMs)
      throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            "insert into runs (run_id, started_at, status, phase, pid, reported_ms)"
                + " values (?, '2026-12-02T11:59:00Z', ?, 'sending', ?, ?)")) {
      s.setString(1, runId);
      s.setString(2, status);
      s.setObject(3, pid);
      s.setObject(4, reportedMs);
      s.executeUpdate();
    }
  }

  private void updateCounts(String runId, RunCounts counts) throws SQLException {
    List<Object> values = new ArrayList<>(HistoryRows.countValues(counts));
    values.add("done");
    values.add(runId);
    try (PreparedStatement s =
        db.prepareStatement(
            "update runs set " + HistoryRows.COUNT_ASSIGNMENTS + "phase = ? where run_id = ?")) {
      for (int i = 0; i < values.size(); i++) {
        s.setObject(i + 1, values.get(i));
      }
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** Reads the run through the mapper, recording what the context was asked. */
  private RunView read(String runId, boolean alive, List<Object> asked) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement("select " + HistoryRows.RUN_COLUMNS + " from runs where run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return HistoryRows.run(
            rs,
            new HistoryRows.RunContext() {
              @Override
              public boolean alive(Long pid, Optional<Instant> reportedAt) {
                asked.add(pid);
                asked.add(reportedAt);
                return alive;
              }

              @Override
              public Map<String, Long> reasons(String id) {
                return Map.of("invalid_text", 2L);
              }
            });
      }
    }
  }

  @Test
  void countsWrittenWithTheSharedAssignmentsReadBackTheSame() throws SQLException {
    insertRun("r1", "succeeded", 42L, NOW.toEpochMilli());
    RunCounts counts =
        new RunCounts(
            100,
            Map.of(
                EventType.ADDED, new RunCounts.Events(10, 9, 1),
                EventType.CHANGED, new RunCounts.Events(5, 4, 1),
                EventType.REMOVED, new RunCounts.Events(3, 3, 0)),
            7,
            2,
            Map.of("invalid_text", 2L));
    updateCounts("r1", counts);

    List<Object> asked = new ArrayList<>();
    RunView run = read("r1", true, asked);

    assertThat(run.counts()).isEqualTo(counts);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.phase()).isEqualTo("done");
    assertThat(run.reportedAt()).contains(NOW);
    assertThat(asked).as("only a running run's liveness is asked").isEmpty();
  }

  @Test
  void aRunningRunThatIsNotAliveIsShownInterruptedAndItsPidIsHandedOver() throws SQLException {
    insertRun("r2", "running", 42L, NOW.toEpochMilli());
    insertRun("r3", "running", null, null);

    List<Object> asked = new ArrayList<>();
    assertThat(read("r2", false, asked).status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(asked).containsExactly(42L, Optional.of(NOW));

    asked.clear();
    assertThat(read("r3", true, asked).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(asked).containsExactly(null, Optional.empty());
  }

  @Test
  void aRunReportedWithinTheStaleTimeIsRecent() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    assertThat(HistoryRows.reportedRecently(Optional.of(NOW), clock)).isTrue();
    assertThat(HistoryRows.reportedRecently(Optional.of(NOW.minus(HistoryRows.STALE_AFTER)), clock))
        .isTrue();
    assertThat(
            HistoryRows.reportedRecently(
                Optional.of(NOW.minus(HistoryRows.STALE_AFTER).minusMillis(1)), clock))
        .isFalse();
    assertThat(HistoryRows.reportedRecently(Optional.empty(), clock)).isFalse();
  }

  @Test
  void aStoredCallIsReadFromItsColumnsWithAnyTablePrefix() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(
          "insert into calls values (3, 'PutRecords', "
              + NOW.toEpochMilli()
              + ", 12.5, 2, 200, 'req-1', 500, 65536,"
              + " '{\"ProvisionedThroughputExceededException\":4}', null)");
    }
    assertThat(HistoryRows.callColumns("c."))
        .startsWith("c.seq, c.operation, ")
        .endsWith("c.error");
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery("select " + HistoryRows.callColumns("c.") + " from calls c")) {
      assertThat(rs.next()).isTrue();
      StoredCall call = HistoryRows.storedCall(rs);
      assertThat(call.seq()).isEqualTo(3);
      assertThat(call.call().operation()).isEqualTo("PutRecords");
      assertThat(call.call().startedAt()).isEqualTo(NOW);
      assertThat(call.call().duration()).isEqualTo(Duration.ofMillis(12).plusNanos(500_000));
      assertThat(call.call().attempt()).isEqualTo(2);
      assertThat(call.call().requestId()).contains("req-1");
      assertThat(call.failedByCode()).containsEntry("ProvisionedThroughputExceededException", 4);
      assertThat(call.call().error()).isEmpty();
    }
  }
}
