package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.KeyInRun;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the run history, on any connection to its file (the writer's or a reader's). */
final class HistoryQueries {
  /**
   * A running run that has not reported its counts for this long is shown as interrupted, even if a
   * process with its pid is alive (pids are reused). Runs report about every second.
   */
  static final Duration STALE_AFTER = Duration.ofSeconds(30);

  static final ObjectMapper JSON = new ObjectMapper();
  static final TypeReference<Map<String, Integer>> FAILED_MAP = new TypeReference<>() {};

  private static final String RUN_COLUMNS =
      "run_id, started_at, finished_at, status, phase, pid, reported_ms, rows, "
          + "added_planned, added_sent, added_rejected, changed_planned, changed_sent, changed_rejected, "
          + "removed_planned, removed_sent, removed_rejected, skipped, invalid, error, summary";

  private static final String CALL_COLUMNS =
      "seq, operation, started_ms, duration_ms, attempt, http_status, "
          + "request_id, records, bytes, failed, error";

  private final String sync;
  private final Clock clock;

  HistoryQueries(String sync, Clock clock) {
    this.sync = sync;
    this.clock = clock;
  }

  String sync() {
    return sync;
  }

  List<RunView> runs(Connection on, int limit, Optional<String> before) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
    }
    String sql =
        "select "
            + RUN_COLUMNS
            + " from runs"
            + (before.isPresent()
                ? " where (started_ms, run_id) < (select started_ms, run_id from runs where run_id = ?)"
                : "")
            + " order by started_ms desc, run_id desc limit ?";
    Object[] parameters =
        before.isPresent() ? new Object[] {before.get(), limit} : new Object[] {limit};
    try (PreparedStatement s = Sqlite.prepare(on, sql, parameters);
        ResultSet rs = s.executeQuery()) {
      List<RunView> runs = new ArrayList<>();
      while (rs.next()) {
        runs.add(view(on, rs));
      }
      return runs;
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
  }

  List<String> runIds(Connection on) {
    try (PreparedStatement s =
            Sqlite.prepare(on, "select run_id from runs order by started_ms desc, run_id desc");
        ResultSet rs = s.executeQuery()) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
  }

  Optional<RunView> run(Connection on, String runId) {
    try (PreparedStatement s =
            Sqlite.prepare(on, "select " + RUN_COLUMNS + " from runs where run_id = ?", runId);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(view(on, rs)) : Optional.empty();
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
  }

  private RunView view(Connection on, ResultSet rs) throws SQLException {
    String runId = rs.getString(1);
    RunStatus status = RunStatus.parse(rs.getString(4)).orElse(RunStatus.FAILED);
    long pid = rs.getLong(6);
    boolean hasPid = !rs.wasNull();
    long reportedMs = rs.getLong(7);
    Optional<Instant> reportedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(reportedMs));
    if (status == RunStatus.RUNNING && !alive(hasPid, pid, reportedAt)) {
      status = RunStatus.INTERRUPTED; // shown so; the next run of the sync records it
    }
    Map<EventType, RunCounts.Events> events = new EnumMap<>(EventType.class);
    int column = 9;
    for (EventType type : List.of(EventType.ADDED, EventType.CHANGED, EventType.REMOVED)) {
      events.put(
          type,
          new RunCounts.Events(rs.getLong(column), rs.getLong(column + 1), rs.getLong(column + 2)));
      column += 3;
    }
    RunCounts counts =
        new RunCounts(rs.getLong(8), events, rs.getLong(18), rs.getLong(19), reasons(on, runId));
    return new RunView(
        runId,
        status,
        rs.getString(5),
        rs.getString(2),
        Optional.ofNullable(rs.getString(3)),
        counts,
        Optional.ofNullable(rs.getString(20)),
        reportedAt,
        Optional.ofNullable(rs.getString(21)));
  }

  private boolean alive(boolean hasPid, long pid, Optional<Instant> reportedAt) {
    if (reportedAt.isEmpty() || reportedAt.get().isBefore(clock.instant().minus(STALE_AFTER))) {
      return false;
    }
    return !hasPid || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private Map<String, Long> reasons(Connection on, String runId) throws SQLException {
    Map<String, Long> reasons = new HashMap<>();
    try (PreparedStatement s =
            Sqlite.prepare(on, "select reason, n from run_reasons where run_id = ?", runId);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        reasons.put(rs.getString(1), rs.getLong(2));
      }
    }
    return reasons;
  }

  List<RejectedRow> rejections(Connection on, String runId, int limit) {
    return readRejections(
        on, "where run_id = ? order by reason, pk nulls last limit ?", runId, limit);
  }

  List<RejectedRow> rejections(Connection on, String runId, String key) {
    return readRejections(on, "where run_id = ? and pk = ?", runId, key);
  }

  private List<RejectedRow> readRejections(Connection on, String condition, Object... parameters) {
    List<RejectedRow> rows = new ArrayList<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on, "select pk, op, reason, message from rejections " + condition, parameters);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return rows;
  }

  List<StoredCall> calls(Connection on, String runId) {
    List<StoredCall> calls = new ArrayList<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select " + CALL_COLUMNS + " from calls where run_id = ? order by started_ms, seq",
                runId);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        calls.add(storedCall(rs));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return calls;
  }

  List<KeyInCall> callsCarrying(Connection on, String runId, String key) {
    List<KeyInCall> found = new ArrayList<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select "
                    + CALL_COLUMNS
                    + ", keys, shards, sequence_numbers, "
                    + "errors from calls where run_id = ? and instr(keys, ?) > 0 order by started_ms, seq",
                runId,
                CallRecords.needle(key));
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        StoredCall call = storedCall(rs);
        for (int index : CallRecords.indexesOf(rs.getString(12), key)) {
          found.add(
              new KeyInCall(
                  call,
                  index,
                  CallRecords.result(rs.getString(13), rs.getString(14), rs.getString(15), index)));
        }
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    } catch (IOException e) {
      throw Sqlite.failed(
          "reading", sync, new SQLException("a stored call is damaged: " + e.getMessage(), e));
    }
    return found;
  }

  List<KeyInRun> keyHistory(Connection on, String key, int limit) {
    List<String[]> runs = new ArrayList<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select run_id, started_at from runs where run_id in "
                    + "(select run_id from calls where instr(keys, ?) > 0 union select run_id from rejections where pk = ?) "
                    + "order by started_ms desc, run_id desc limit ?",
                CallRecords.needle(key),
                key,
                limit);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        runs.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    List<KeyInRun> history = new ArrayList<>();
    for (String[] run : runs) {
      history.add(
          new KeyInRun(
              run[0], run[1], callsCarrying(on, run[0], key), rejections(on, run[0], key)));
    }
    return history;
  }

  private StoredCall storedCall(ResultSet rs) throws SQLException {
    Map<String, Integer> failedByCode;
    try {
      failedByCode =
          rs.getString(10) == null ? Map.of() : JSON.readValue(rs.getString(10), FAILED_MAP);
    } catch (IOException e) {
      throw new SQLException("a stored call's failures are damaged: " + e.getMessage(), e);
    }
    ApiCall call =
        new ApiCall(
            rs.getString(2),
            Instant.ofEpochMilli(rs.getLong(3)),
            Duration.ofNanos(Math.round(rs.getDouble(4) * 1_000_000)),
            rs.getInt(5),
            rs.getInt(6),
            Optional.ofNullable(rs.getString(7)),
            rs.getInt(8),
            rs.getLong(9),
            List.of(),
            List.of(),
            Optional.ofNullable(rs.getString(11)));
    return new StoredCall(rs.getLong(1), call, failedByCode);
  }
}
