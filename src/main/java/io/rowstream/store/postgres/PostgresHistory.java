package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.history.CallEntry;
import io.rowstream.history.CallRecorder;
import io.rowstream.history.CallStore;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sync's run history in the shared state: the embedded history's tables and semantics, every
 * row keyed by sync. The writer is opened under the sync's lease; readers read committed rows
 * (MVCC: they never wait for a run nor hold one up) and create nothing.
 */
final class PostgresHistory implements RunHistory, CallStore {
  private final StateConfig config;
  private final Clock clock;
  private final PgHistoryQueries queries;

  /** Runs, rejections, progress, retention and reads; null for a reader with nothing to read. */
  private final Connection connection;

  /** API calls, so a batch of them does not hold up progress or rejections; null for a reader. */
  private final Connection calls;

  private PostgresHistory(
      StateConfig config, String sync, Clock clock, Connection connection, Connection calls) {
    this.config = config;
    this.clock = clock;
    this.queries = new PgHistoryQueries(config.schema(), sync, clock);
    this.connection = connection;
    this.calls = calls;
  }

  /** Opens the history of {@code sync} to write it (under its lease). */
  static PostgresHistory open(StateConfig config, String sync, Clock clock) {
    Connection connection = Pg.connect(config);
    try {
      Pg.ensureSchema(connection, config);
      return new PostgresHistory(config, sync, clock, connection, Pg.connect(config));
    } catch (RuntimeException e) {
      Pg.closeQuietly(connection);
      throw e;
    }
  }

  /** A reader of the history of {@code sync}: a sync (or state) that never ran reads as empty. */
  static PostgresHistory reader(StateConfig config, String sync, Clock clock) {
    Connection connection = Pg.connect(config);
    try {
      if (!Pg.tableExists(connection, config.schema() + ".runs")) {
        Pg.closeQuietly(connection);
        return new PostgresHistory(config, sync, clock, null, null);
      }
      connection.setReadOnly(true);
      return new PostgresHistory(config, sync, clock, connection, null);
    } catch (SQLException e) {
      Pg.closeQuietly(connection);
      throw Pg.failed("reading the run history of sync " + sync, e, config);
    }
  }

  @Override
  public synchronized int interruptAbandoned(String note) {
    return (int)
        update(
            "update "
                + queries.t("runs")
                + " set status = ?, phase = 'done', error = coalesce(error, ?)"
                + " where sync = ? and status = ?",
            RunStatus.INTERRUPTED.label(),
            note,
            queries.sync(),
            RunStatus.RUNNING.label());
  }

  @Override
  public synchronized void runStarted(String runId, String startedAt) {
    update(
        "insert into "
            + queries.t("runs")
            + " (sync, run_id, started_at, started_ms, status, phase, pid, reported_ms)"
            + " values (?, ?, ?, ?, ?, 'starting', ?, ?)",
        queries.sync(),
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
        "recording the progress of a run",
        () ->
            Pg.transaction(
                connection,
                List.of(
                    c ->
                        updateCounts(
                            c,
                            runId,
                            counts,
                            "phase = ?, reported_ms = ?",
                            phase,
                            clock.millis()))));
  }

  @Override
  public synchronized void runFinished(String runId, RunEnd end) {
    write(
        "recording the end of a run",
        () ->
            Pg.transaction(
                connection,
                List.of(
                    c ->
                        updateCounts(
                            c,
                            runId,
                            end.counts(),
                            "finished_at = ?, status = ?, phase = 'done', error = ?, summary = ?,"
                                + " reported_ms = ?",
                            end.finishedAt(),
                            end.status().label(),
                            end.error().orElse(null),
                            end.summaryJson(),
                            clock.millis()))));
  }

  private void updateCounts(
      Connection c, String runId, RunCounts counts, String more, Object... moreValues)
      throws SQLException {
    List<Object> values = HistoryRows.countValues(counts);
    values.addAll(Arrays.asList(moreValues));
    values.add(queries.sync());
    values.add(runId);
    Pg.update(
        c,
        "update "
            + queries.t("runs")
            + " set "
            + HistoryRows.COUNT_ASSIGNMENTS
            + more
            + " where sync = ? and run_id = ?",
        values.toArray());
    Pg.update(
        c,
        "delete from " + queries.t("run_reasons") + " where sync = ? and run_id = ?",
        queries.sync(),
        runId);
    try (PreparedStatement s =
        c.prepareStatement("insert into " + queries.t("run_reasons") + " values (?, ?, ?, ?)")) {
      for (Map.Entry<String, Long> reason : counts.rejections().entrySet()) {
        s.setString(1, queries.sync());
        s.setString(2, runId);
        s.setString(3, reason.getKey());
        s.setLong(4, reason.getValue());
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
        "recording rejected rows",
        () -> {
          try (PreparedStatement s =
              connection.prepareStatement(
                  "insert into " + queries.t("rejections") + " values (?, ?, ?, ?, ?, ?)")) {
            for (RejectedRow row : rows) {
              s.setString(1, queries.sync());
              s.setString(2, runId);
              s.setString(3, row.key());
              s.setString(4, row.event());
              s.setString(5, row.reason());
              s.setString(6, row.message());
              s.addBatch();
            }
            s.executeBatch();
          }
        });
  }

  @Override
  public CallStore calls() {
    return this;
  }

  @Override
  public CallRecorder recorder(String runId, Collection<String> secrets, int maxDataBytes) {
    return new PgCallRecorder(calls, queries, runId, List.copyOf(secrets), maxDataBytes);
  }

  @Override
  public synchronized int deleteRunsBefore(Instant cutoff) {
    long ms = cutoff.toEpochMilli();
    String sync = queries.sync();
    int[] deleted = {0};
    // the calls connection's lock keeps a run's call batches out of this transaction
    synchronized (calls) {
      write(
          "deleting old runs",
          () -> {
            List<String> runs = new ArrayList<>();
            try (PreparedStatement s =
                connection.prepareStatement(
                    "select run_id from "
                        + queries.t("runs")
                        + " where sync = ? and status <> 'running' and started_ms < ?"
                        + " union select run_id from "
                        + queries.t("calls")
                        + " c where sync = ? and not exists (select 1 from "
                        + queries.t("runs")
                        + " r where r.sync = c.sync and r.run_id = c.run_id)"
                        + " group by run_id having max(started_ms) < ?")) {
              s.setString(1, sync);
              s.setLong(2, ms);
              s.setString(3, sync);
              s.setLong(4, ms);
              try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  runs.add(rs.getString(1));
                }
              }
            }
            if (runs.isEmpty()) {
              return;
            }
            List<Pg.Sql> statements = new ArrayList<>();
            for (String table : List.of("call_keys", "calls", "rejections", "run_reasons")) {
              statements.add(
                  c -> {
                    try (PreparedStatement s =
                        c.prepareStatement(
                            "delete from "
                                + queries.t(table)
                                + " where sync = ? and run_id = any (?)")) {
                      s.setString(1, sync);
                      s.setArray(2, c.createArrayOf("text", runs.toArray()));
                      s.executeUpdate();
                    }
                  });
            }
            statements.add(
                c -> {
                  try (PreparedStatement s =
                      c.prepareStatement(
                          "delete from "
                              + queries.t("runs")
                              + " where sync = ? and run_id = any (?)")) {
                    s.setString(1, sync);
                    s.setArray(2, c.createArrayOf("text", runs.toArray()));
                    deleted[0] = s.executeUpdate();
                  }
                });
            Pg.transaction(connection, statements);
          });
    }
    return deleted[0];
  }

  @Override
  public synchronized List<RunView> runs(int limit, Optional<String> before) {
    return connection == null ? List.of() : queries.runs(connection, limit, before);
  }

  @Override
  public synchronized Optional<RunView> run(String runId) {
    return connection == null ? Optional.empty() : queries.run(connection, runId);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, int limit) {
    return connection == null ? List.of() : queries.rejections(connection, runId, limit);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, String key) {
    return connection == null ? List.of() : queries.rejections(connection, runId, key);
  }

  @Override
  public synchronized List<StoredCall> calls(String runId) {
    return connection == null ? List.of() : queries.calls(connection, runId);
  }

  @Override
  public synchronized List<KeyInCall> callsCarrying(String runId, String key) {
    return connection == null ? List.of() : queries.callsCarrying(connection, runId, key);
  }

  @Override
  public synchronized List<RunRow> rows(String runId, RowFilter filter, int offset, int limit) {
    return connection == null ? List.of() : queries.rows(connection, runId, filter, offset, limit);
  }

  @Override
  public synchronized List<CallEntry> entries(String runId, long seq) {
    return connection == null ? List.of() : queries.entries(connection, runId, seq);
  }

  @Override
  public synchronized List<KeyInRun> keyHistory(String key, int limit) {
    return connection == null ? List.of() : queries.keyHistory(connection, key, limit);
  }

  @Override
  public synchronized void close() {
    if (calls != null) {
      synchronized (calls) {
        Pg.closeQuietly(calls);
      }
    }
    Pg.closeQuietly(connection);
  }

  private long update(String sql, Object... parameters) {
    long[] n = {0};
    write("updating", () -> n[0] = Pg.update(connection, sql, parameters));
    return n[0];
  }

  /** A write on the history's connections. */
  private interface Work {
    void run() throws SQLException;
  }

  private void write(String doing, Work work) {
    try {
      work.run();
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          "error "
              + doing
              + " in the run history of sync "
              + queries.sync()
              + " (PostgreSQL state at "
              + Pg.where(config)
              + "): "
              + Pg.firstLine(e.getMessage()),
          e);
    }
  }
}
