package io.rowstream.store.sqlite;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.history.CallEntry;
import io.rowstream.history.CallRecorder;
import io.rowstream.history.CallStore;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.KeyInRun;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunEnd;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunRow;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import io.rowstream.store.historyrows.HistoryRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run history of one sync in a SQLite file in WAL mode ({@code STATE_DIR/SYNC.history.db}):
 * runs with their counts, rejected rows, and every API call. The delivered state stays in the
 * sync's DuckDB file; the history is apart because DuckDB lets no other process read a file a
 * writer holds, and the history must be readable (by {@code runs}, {@code debug}, the REST API)
 * while a run writes it. In WAL mode, readers in other processes neither wait nor make the writer
 * wait.
 *
 * <p>Open the writer ({@link #open}) only while holding the sync's lease; readers ({@link #reader})
 * need nothing.
 */
public final class SqliteHistory implements RunHistory, CallStore {
  private final String sync;
  private final Clock clock;

  /** Runs, rejections, progress and retention. */
  private final Connection connection;

  /** API calls, so a batch of them does not hold up progress or rejections in this process. */
  private final Connection calls;

  private final HistoryQueries queries;

  private SqliteHistory(String sync, Clock clock, Connection connection, Connection calls) {
    this.sync = sync;
    this.clock = clock;
    this.connection = connection;
    this.calls = calls;
    this.queries = new HistoryQueries(sync, clock);
  }

  /** The history file of {@code sync} under {@code dir}. */
  public static Path file(Path dir, String sync) {
    return dir.resolve(sync + ".history.db");
  }

  /** Opens (creating if needed) the history of {@code sync} to write it. */
  public static SqliteHistory open(Path dir, String sync, Clock clock) {
    requireNonNull(sync, "sync is null");
    Path file = file(dir, sync);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw RowstreamException.fatal(
          "cannot create the state folder " + dir + ": " + e.getMessage());
    }
    Connection connection = null;
    try {
      connection = Sqlite.writer(file);
      HistorySchema.create(connection);
      Connection calls = Sqlite.writer(file);
      return new SqliteHistory(sync, clock, connection, calls);
    } catch (SQLException e) {
      if (connection != null) {
        Sqlite.closeQuietly(connection);
      }
      throw RowstreamException.fatal(
          "cannot open the run history of sync "
              + sync
              + " ("
              + file
              + "): "
              + Sqlite.firstLine(e.getMessage()),
          e);
    }
  }

  public static SqliteHistory open(Path dir, String sync) {
    return open(dir, sync, Clock.systemUTC());
  }

  /**
   * A reader of the history of {@code sync}: read-only, creates nothing (a sync that never ran
   * reads as empty), and coexists with a run of the sync in another process.
   */
  public static HistoryReader reader(Path dir, String sync, Clock clock) {
    Path file = file(dir, sync);
    HistoryQueries queries = new HistoryQueries(sync, clock);
    if (!Files.isRegularFile(file)) {
      return new SqliteHistoryReader(null, queries);
    }
    try {
      return new SqliteHistoryReader(Sqlite.reader(file), queries);
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          "cannot read the run history of sync "
              + sync
              + " ("
              + file
              + "): "
              + Sqlite.firstLine(e.getMessage()),
          e);
    }
  }

  public static HistoryReader reader(Path dir, String sync) {
    return reader(dir, sync, Clock.systemUTC());
  }

  /** Whether {@code sync} has a history under {@code dir} (without creating one). */
  public static boolean exists(Path dir, String sync) {
    return Files.isRegularFile(file(dir, sync));
  }

  @Override
  public synchronized int interruptAbandoned(String note) {
    return update(
        "update runs set status = ?, phase = 'done', error = coalesce(error, ?) where status = ?",
        RunStatus.INTERRUPTED.label(),
        note,
        RunStatus.RUNNING.label());
  }

  @Override
  public synchronized void runStarted(String runId, String startedAt) {
    update(
        "insert into runs (run_id, started_at, started_ms, status, phase, pid, reported_ms) "
            + "values (?, ?, ?, ?, 'starting', ?, ?)",
        runId,
        startedAt,
        Instant.parse(startedAt).toEpochMilli(),
        RunStatus.RUNNING.label(),
        ProcessHandle.current().pid(),
        clock.millis());
  }

  @Override
  public synchronized void progress(String runId, String phase, RunCounts counts) {
    write(
        "recording the progress of a run in",
        () -> {
          Sqlite.inTransaction(
              connection,
              () -> {
                updateCounts(runId, counts, "phase = ?, reported_ms = ?", phase, clock.millis());
                return null;
              });
          return null;
        });
  }

  @Override
  public synchronized void runFinished(String runId, RunEnd end) {
    write(
        "recording the end of a run in",
        () -> {
          Sqlite.inTransaction(
              connection,
              () -> {
                updateCounts(
                    runId,
                    end.counts(),
                    "finished_at = ?, status = ?, phase = 'done', error = ?, summary = ?, "
                        + "reported_ms = ?",
                    end.finishedAt(),
                    end.status().label(),
                    end.error().orElse(null),
                    end.summaryJson(),
                    clock.millis());
                return null;
              });
          return null;
        });
  }

  private void updateCounts(String runId, RunCounts counts, String more, Object... moreValues)
      throws SQLException {
    List<Object> values = HistoryRows.countValues(counts);
    values.addAll(java.util.Arrays.asList(moreValues));
    values.add(runId);
    try (PreparedStatement s =
        Sqlite.prepare(
            connection,
            "update runs set " + HistoryRows.COUNT_ASSIGNMENTS + more + " where run_id = ?",
            values.toArray())) {
      s.executeUpdate();
    }
    try (PreparedStatement s =
        Sqlite.prepare(connection, "delete from run_reasons where run_id = ?", runId)) {
      s.executeUpdate();
    }
    try (PreparedStatement s =
        connection.prepareStatement("insert into run_reasons values (?, ?, ?)")) {
      for (Map.Entry<String, Long> reason : counts.rejections().entrySet()) {
        s.setString(1, runId);
        s.setString(2, reason.getKey());
        s.setLong(3, reason.getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Override
  public synchronized void reject(String runId, List<RejectedRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    write(
        "recording rejected rows in",
        () ->
            Sqlite.inTransaction(
                connection,
                () -> {
                  try (PreparedStatement s =
                      connection.prepareStatement(
                          "insert into rejections values (?, ?, ?, ?, ?)")) {
                    for (RejectedRow row : rows) {
                      s.setString(1, runId);
                      s.setString(2, row.key());
                      s.setString(3, row.event());
                      s.setString(4, row.reason());
                      s.setString(5, row.message());
                      s.addBatch();
                    }
                    s.executeBatch();
                  }
                  return null;
                }));
  }

  /**
   * Adds a run kept by an older Rowstream (in the delivered state's file) with its rejected rows;
   * its counts are read from its stored summary. A run already here is left as it is.
   */
  public synchronized void importRun(
      String runId,
      String startedAt,
      Optional<String> finishedAt,
      String status,
      Optional<String> summaryJson,
      List<RejectedRow> rejections) {
    if (run(runId).isPresent()) {
      return;
    }
    RunStatus parsed =
        RunStatus.parse(status).filter(st -> st != RunStatus.RUNNING).orElse(RunStatus.INTERRUPTED);
    JsonNode summary;
    try {
      summary = HistoryQueries.JSON.readTree(summaryJson.orElse("{}"));
    } catch (IOException e) {
      summary = HistoryQueries.JSON.createObjectNode();
    }
    Map<EventType, RunCounts.Events> events = new java.util.EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      JsonNode c = summary.path(type.label());
      events.put(
          type,
          new RunCounts.Events(
              c.path("planned").asLong(), c.path("sent").asLong(), c.path("rejected").asLong()));
    }
    Map<String, Long> reasons = new java.util.TreeMap<>();
    summary
        .path("rejections")
        .fields()
        .forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
    RunCounts counts =
        new RunCounts(
            summary.path("rows_queried").asLong(),
            events,
            summary.path("skipped").asLong(),
            summary.path("invalid").asLong(),
            reasons);
    Optional<String> error =
        summary.path("error").isTextual()
            ? Optional.of(summary.path("error").asText())
            : Optional.empty();
    runStarted(runId, startedAt);
    update("update runs set pid = null where run_id = ?", runId);
    runFinished(
        runId,
        new RunEnd(finishedAt.orElse(startedAt), parsed, counts, error, summaryJson.orElse("{}")));
    reject(runId, rejections);
  }

  @Override
  public CallStore calls() {
    return this;
  }

  @Override
  public CallRecorder recorder(String runId, Collection<String> secrets, int maxDataBytes) {
    return new SqliteCallRecorder(calls, sync, runId, List.copyOf(secrets), maxDataBytes);
  }

  @Override
  public synchronized int deleteRunsBefore(Instant cutoff) {
    long ms = cutoff.toEpochMilli();
    // the calls connection's lock keeps a run's call batches out of this transaction
    synchronized (calls) {
      return write(
          "deleting old runs from",
          () ->
              Sqlite.inTransaction(
                  connection,
                  () -> {
                    List<String> runs = new ArrayList<>();
                    int deleted = 0;
                    try (PreparedStatement s =
                            Sqlite.prepare(
                                connection,
                                "select run_id from runs where status <> 'running' and started_ms < ? "
                                    + "union select run_id from calls where run_id not in "
                                    + "(select run_id from runs) group by run_id having max(started_ms) < ?",
                                ms,
                                ms);
                        ResultSet rs = s.executeQuery()) {
                      while (rs.next()) {
                        runs.add(rs.getString(1));
                      }
                    }
                    // by run id: each delete is a range of its table's (run, ...) index
                    for (String runId : runs) {
                      try (PreparedStatement s =
                          Sqlite.prepare(
                              connection,
                              "delete from call_keys where n = "
                                  + "(select n from run_numbers where run_id = ?)",
                              runId)) {
                        s.executeUpdate();
                      }
                      try (PreparedStatement s =
                          Sqlite.prepare(
                              connection,
                              "delete from call_keys_new where n = "
                                  + "(select n from run_numbers where run_id = ?)",
                              runId)) {
                        s.executeUpdate();
                      }
                      for (String table :
                          List.of("run_numbers", "calls", "rejections", "run_reasons", "runs")) {
                        try (PreparedStatement s =
                            Sqlite.prepare(
                                connection, "delete from " + table + " where run_id = ?", runId)) {
                          int n = s.executeUpdate();
                          if (table.equals("runs")) {
                            deleted += n;
                          }
                        }
                      }
                    }
                    return deleted;
                  }));
    }
  }

  @Override
  public synchronized List<RunView> runs(int limit, Optional<String> before) {
    return queries.runs(connection, limit, before);
  }

  @Override
  public synchronized Optional<RunView> run(String runId) {
    return queries.run(connection, runId);
  }

  @Override
  public synchronized List<String> runIds() {
    return queries.runIds(connection);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, int limit) {
    return queries.rejections(connection, runId, limit);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, String key) {
    return queries.rejections(connection, runId, key);
  }

  @Override
  public synchronized List<StoredCall> calls(String runId) {
    return queries.calls(connection, runId);
  }

  @Override
  public synchronized List<StoredCall> calls(String runId, int offset, int limit) {
    return queries.calls(connection, runId, offset, limit);
  }

  @Override
  public synchronized List<KeyInCall> callsCarrying(String runId, String key) {
    return queries.callsCarrying(connection, runId, key);
  }

  @Override
  public synchronized List<RunRow> rows(String runId, RowFilter filter, int offset, int limit) {
    return queries.rows(connection, runId, filter, offset, limit);
  }

  @Override
  public synchronized List<CallEntry> entries(String runId, long seq) {
    return queries.entries(connection, runId, seq);
  }

  @Override
  public synchronized List<KeyInRun> keyHistory(String key, int limit) {
    return queries.keyHistory(connection, key, limit);
  }

  @Override
  public synchronized void close() {
    synchronized (calls) {
      Sqlite.closeQuietly(calls);
    }
    Sqlite.closeQuietly(connection);
  }

  private int update(String sql, Object... parameters) {
    return write(
        "updating",
        () -> {
          try (PreparedStatement s = Sqlite.prepare(connection, sql, parameters)) {
            return s.executeUpdate();
          }
        });
  }

  private <T> T write(String doing, Sqlite.SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw Sqlite.failed(doing, sync, e);
    }
  }
}
