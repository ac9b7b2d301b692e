package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.CallEntry;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.KeyInRun;
import io.rowstream.history.RecordData;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RowOutcome;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunRow;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** {@link #CALL_COLUMNS} of the calls aliased {@code c}, in the same order. */
  private static final String CALL_COLUMNS_OF_C =
      "c.seq, c.operation, c.started_ms, c.duration_ms, c.attempt, c.http_status, "
          + "c.request_id, c.records, c.bytes, c.failed, c.error";

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
    Map<Long, List<Optional<RecordData>>> data = new HashMap<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select "
                    + CALL_COLUMNS_OF_C
                    + ", k.idx, k.event, k.shard, k.sequence_number, k.error_code, k.error_message, "
                    + "c.data from call_keys k join calls c on c.run_id = k.run_id and c.seq = k.seq "
                    + "where k.run_id = ? and k.pk = ? order by c.started_ms, c.seq, k.idx",
                runId,
                key);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        StoredCall call = storedCall(rs);
        int index = rs.getInt(12);
        List<Optional<RecordData>> records =
            data.computeIfAbsent(call.seq(), seq -> parseRecords(rs, 18));
        found.add(
            new KeyInCall(
                call,
                index,
                CallRecords.result(
                    rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17)),
                rs.getString(13),
                index < records.size() ? records.get(index) : Optional.empty()));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    } catch (UncheckedIOException e) {
      throw damaged(e.getCause());
    }
    return found;
  }

  List<CallEntry> entries(Connection on, String runId, long seq) {
    List<String> keys;
    List<Optional<RecordData>> records;
    try (PreparedStatement s =
            Sqlite.prepare(
                on, "select keys, data from calls where run_id = ? and seq = ?", runId, seq);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return List.of();
      }
      keys = CallRecords.keys(rs.getString(1));
      records = parseRecords(rs, 2);
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    } catch (IOException e) {
      throw damaged(e);
    } catch (UncheckedIOException e) {
      throw damaged(e.getCause());
    }
    List<CallEntry> entries = new ArrayList<>(keys.size());
    try (PreparedStatement s =
        on.prepareStatement(
            "select event, shard, sequence_number, error_code, error_message from call_keys "
                + "where run_id = ? and pk = ? and seq = ? and idx = ?")) {
      for (int i = 0; i < keys.size(); i++) {
        s.setString(1, runId);
        s.setString(2, keys.get(i));
        s.setLong(3, seq);
        s.setInt(4, i);
        String event = null;
        Optional<EntryResult> result = Optional.empty();
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            event = rs.getString(1);
            result =
                CallRecords.result(
                    rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
          }
        }
        entries.add(
            new CallEntry(
                i,
                keys.get(i),
                event,
                result,
                i < records.size() ? records.get(i) : Optional.empty()));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return entries;
  }

  /**
   * The rows of a run by key: the stored ones from {@code call_keys} (one per time a call stored
   * the record) and the rejected ones from {@code rejections}, each read in key order from its
   * index and merged, so a page costs its offset plus its length, not the run's size.
   */
  List<RunRow> rows(Connection on, String runId, RowFilter filter, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must be 0 or more");
    }
    boolean successful = filter.outcome().map(o -> o == RowOutcome.SUCCESSFUL).orElse(true);
    boolean rejected = filter.outcome().map(o -> o == RowOutcome.REJECTED).orElse(true);
    String eventCondition = filter.event().isPresent() ? " and event = ?" : "";
    String stored =
        "select pk, event, 0 as kind, seq, shard, sequence_number, null as reason, null as message "
            + "from call_keys where run_id = ? and shard is not null"
            + eventCondition;
    String refused =
        "select pk, op, 1, 0, null, null, reason, message from rejections where run_id = ?"
            + eventCondition.replace("event", "op");
    List<Object> parameters = new ArrayList<>();
    String sql;
    if (successful && rejected) {
      sql = stored + " union all " + refused;
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
    } else {
      sql = successful ? stored : refused;
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
    }
    sql += " order by 1, 3, 4 limit ? offset ?";
    parameters.add(limit);
    parameters.add(offset);
    List<RunRow> rows = new ArrayList<>();
    try (PreparedStatement s = Sqlite.prepare(on, sql, parameters.toArray());
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String key = rs.getString(1);
        String event = rs.getString(2);
        if (rs.getInt(3) == 0) {
          rows.add(
              new RunRow(
                  key,
                  event,
                  RowOutcome.SUCCESSFUL,
                  rs.getLong(4),
                  Optional.of(EntryResult.stored(rs.getString(5), rs.getString(6))),
                  Optional.empty()));
        } else {
          rows.add(
              new RunRow(
                  key,
                  event,
                  RowOutcome.REJECTED,
                  0,
                  Optional.empty(),
                  Optional.of(new RejectedRow(key, event, rs.getString(7), rs.getString(8)))));
        }
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return rows;
  }

  private static List<Optional<RecordData>> parseRecords(ResultSet rs, int column) {
    try {
      return CallRecords.records(rs.getString(column));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  private RuntimeException damaged(IOException e) {
    return Sqlite.failed(
        "reading", sync, new SQLException("a stored call is damaged: " + e.getMessage(), e));
  }

  List<KeyInRun> keyHistory(Connection on, String key, int limit) {
    List<String[]> runs = new ArrayList<>();
    // a probe of each run's (run, key) index, newest run first: the runs are few (retention), the
    // keys many
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select run_id, started_at from runs r where exists (select 1 from call_keys k "
                    + "where k.run_id = r.run_id and k.pk = ?) or exists (select 1 from rejections j "
                    + "where j.run_id = r.run_id and j.pk = ?) order by started_ms desc, run_id desc limit ?",
                key,
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
