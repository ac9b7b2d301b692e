package io.rowstream.store.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.CallEntry;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.KeyInRun;
import io.rowstream.history.RecordData;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RowOutcome;
import io.rowstream.history.RunRow;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import io.rowstream.store.historyrows.HistoryRows;
import io.rowstream.store.sqlite.CallRecords;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of one sync's run history in the shared state: the embedded history's queries
 * (store.sqlite.HistoryQueries) with every table keyed by sync. A running run is alive while its
 * sync's lease is held and it reported within {@link HistoryRows#STALE_AFTER}: pids mean nothing
 * across hosts.
 */
final class PgHistoryQueries {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final String RUN_COLUMNS = HistoryRows.RUN_COLUMNS;

  private static final String CALL_COLUMNS_OF_C = HistoryRows.callColumns("c.");

  private final String schema;
  private final String sync;
  private final Clock clock;

  PgHistoryQueries(String schema, String sync, Clock clock) {
    this.schema = schema;
    this.sync = sync;
    this.clock = clock;
  }

  String sync() {
    return sync;
  }

  /** A table of the state's schema. */
  String t(String table) {
    return schema + "." + table;
  }

  /** A statement whose first parameter is the sync, then {@code parameters}. */
  PreparedStatement prepare(Connection on, String sql, Object... parameters) throws SQLException {
    PreparedStatement s = on.prepareStatement(sql);
    try {
      s.setString(1, sync);
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 2, parameters[i]);
      }
    } catch (SQLException e) {
      s.close();
      throw e;
    }
    return s;
  }

  List<RunView> runs(Connection on, int limit, Optional<String> before) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
    }
    String sql =
        "select "
            + RUN_COLUMNS
            + " from "
            + t("runs")
            + " r where sync = ?"
            + (before.isPresent()
                ? " and (started_ms, run_id) < (select started_ms, run_id from "
                    + t("runs")
                    + " b where b.sync = r.sync and b.run_id = ?)"
                : "")
            + " order by started_ms desc, run_id desc limit ?";
    Object[] parameters =
        before.isPresent() ? new Object[] {before.get(), limit} : new Object[] {limit};
    try (PreparedStatement s = prepare(on, sql, parameters);
        ResultSet rs = s.executeQuery()) {
      List<RunView> runs = new ArrayList<>();
      while (rs.next()) {
        runs.add(view(on, rs));
      }
      return runs;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  Optional<RunView> run(Connection on, String runId) {
    try (PreparedStatement s =
            prepare(
                on,
                "select " + RUN_COLUMNS + " from " + t("runs") + " where sync = ? and run_id = ?",
                runId);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(view(on, rs)) : Optional.empty();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private RunView view(Connection on, ResultSet rs) throws SQLException {
    return HistoryRows.run(
        rs,
        new HistoryRows.RunContext() {
          @Override
          public boolean alive(Long pid, Optional<Instant> reportedAt) throws SQLException {
            return HistoryRows.reportedRecently(reportedAt, clock)
                && PgLeases.held(on, schema, sync);
          }

          @Override
          public Map<String, Long> reasons(String runId) throws SQLException {
            return PgHistoryQueries.this.reasons(on, runId);
          }
        });
  }

  private Map<String, Long> reasons(Connection on, String runId) throws SQLException {
    Map<String, Long> reasons = new HashMap<>();
    try (PreparedStatement s =
            prepare(
                on,
                "select reason, n from " + t("run_reasons") + " where sync = ? and run_id = ?",
                runId);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        reasons.put(rs.getString(1), rs.getLong(2));
      }
    }
    return reasons;
  }

  List<RejectedRow> rejections(Connection on, String runId, int limit) {
    return readRejections(
        on, "and run_id = ? order by reason, pk nulls last limit ?", runId, limit);
  }

  List<RejectedRow> rejections(Connection on, String runId, String key) {
    return readRejections(on, "and run_id = ? and pk = ?", runId, key);
  }

  private List<RejectedRow> readRejections(Connection on, String condition, Object... parameters) {
    List<RejectedRow> rows = new ArrayList<>();
    try (PreparedStatement s =
            prepare(
                on,
                "select pk, op, reason, message from "
                    + t("rejections")
                    + " where sync = ? "
                    + condition,
                parameters);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw failed(e);
    }
    return rows;
  }

  List<StoredCall> calls(Connection on, String runId) {
    List<StoredCall> calls = new ArrayList<>();
    try (PreparedStatement s =
            prepare(
                on,
                "select "
                    + CALL_COLUMNS_OF_C
                    + " from "
                    + t("calls")
                    + " c where sync = ? and run_id = ? order by started_ms, seq",
                runId);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        calls.add(storedCall(rs));
      }
    } catch (SQLException e) {
      throw failed(e);
    }
    return calls;
  }

  List<KeyInCall> callsCarrying(Connection on, String runId, String key) {
    List<KeyInCall> found = new ArrayList<>();
    Map<Long, List<Optional<RecordData>>> data = new HashMap<>();
    try (PreparedStatement s =
            prepare(
                on,
                "select "
                    + CALL_COLUMNS_OF_C
                    + ", k.idx, k.event, k.shard, k.sequence_number, k.error_code, k.error_message,"
                    + " c.data from "
                    + t("call_keys")
                    + " k join "
                    + t("calls")
                    + " c on c.sync = k.sync and c.run_id = k.run_id and c.seq = k.seq"
                    + " where k.sync = ? and k.run_id = ? and k.pk = ?"
                    + " order by c.started_ms, c.seq, k.idx",
                runId,
                key);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        StoredCall call = storedCall(rs);
        int index = rs.getInt(12);
        List<Optional<RecordData>> records = data.get(call.seq());
        if (records == null) {
          records = CallRecords.records(rs.getString(18));
          data.put(call.seq(), records);
        }
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
      throw failed(e);
    } catch (IOException e) {
      throw damaged(e);
    }
    return found;
  }

  List<CallEntry> entries(Connection on, String runId, long seq) {
    List<String> keys;
    List<Optional<RecordData>> records;
    try (PreparedStatement s =
            prepare(
                on,
                "select keys, data from "
                    + t("calls")
                    + " where sync = ? and run_id = ? and seq = ?",
                runId,
                seq);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return List.of();
      }
      keys = CallRecords.keys(rs.getString(1));
      records = CallRecords.records(rs.getString(2));
    } catch (SQLException e) {
      throw failed(e);
    } catch (IOException e) {
      throw damaged(e);
    }
    List<CallEntry> entries = new ArrayList<>(keys.size());
    try (PreparedStatement s =
        on.prepareStatement(
            "select event, shard, sequence_number, error_code, error_message from "
                + t("call_keys")
                + " where sync = ? and run_id = ? and pk = ? and seq = ? and idx = ?")) {
      for (int i = 0; i < keys.size(); i++) {
        s.setString(1, sync);
        s.setString(2, runId);
        s.setString(3, keys.get(i));
        s.setLong(4, seq);
        s.setInt(5, i);
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
      throw failed(e);
    }
    return entries;
  }

  /** The rows of a run by key: stored ones from call_keys and rejected ones, merged by key. */
  List<RunRow> rows(Connection on, String runId, RowFilter filter, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must be 0 or more");
    }
    boolean successful = filter.outcome().map(o -> o == RowOutcome.SUCCESSFUL).orElse(true);
    boolean rejected = filter.outcome().map(o -> o == RowOutcome.REJECTED).orElse(true);
    String eventCondition = filter.event().isPresent() ? " and event = ?" : "";
    String stored =
        "select pk, event, 0 as kind, seq, shard, sequence_number, null as reason,"
            + " null as message from "
            + t("call_keys")
            + " where sync = ? and run_id = ? and shard is not null"
            + eventCondition;
    String refused =
        "select pk, op, 1, 0, null, null, reason, message from "
            + t("rejections")
            + " where sync = ? and run_id = ?"
            + eventCondition.replace("event", "op");
    List<Object> parameters = new ArrayList<>();
    String sql;
    if (successful && rejected) {
      sql = stored + " union all " + refused;
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
      parameters.add(sync);
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
    } else {
      sql = successful ? stored : refused;
      parameters.add(runId);
      filter.event().ifPresent(parameters::add);
    }
    // rows without a key first, as the embedded history orders them
    sql += " order by 1 nulls first, 3, 4 limit ? offset ?";
    parameters.add(limit);
    parameters.add(offset);
    List<RunRow> rows = new ArrayList<>();
    try (PreparedStatement s = prepare(on, sql, parameters.toArray());
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
      throw failed(e);
    }
    return rows;
  }

  List<KeyInRun> keyHistory(Connection on, String key, int limit) {
    List<String[]> runs = new ArrayList<>();
    try (PreparedStatement s =
            prepare(
                on,
                "select run_id, started_at from "
                    + t("runs")
                    + " r where sync = ? and (exists (select 1 from "
                    + t("call_keys")
                    + " k where k.sync = r.sync and k.run_id = r.run_id and k.pk = ?)"
                    + " or exists (select 1 from "
                    + t("rejections")
                    + " j where j.sync = r.sync and j.run_id = r.run_id and j.pk = ?))"
                    + " order by started_ms desc, run_id desc limit ?",
                key,
                key,
                limit);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        runs.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    } catch (SQLException e) {
      throw failed(e);
    }
    List<KeyInRun> history = new ArrayList<>();
    for (String[] run : runs) {
      history.add(
          new KeyInRun(
              run[0], run[1], callsCarrying(on, run[0], key), rejections(on, run[0], key)));
    }
    return history;
  }

  private static StoredCall storedCall(ResultSet rs) throws SQLException {
    return HistoryRows.storedCall(rs);
  }

  RuntimeException failed(SQLException e) {
    return io.rowstream.core.RowstreamException.fatal(
        "error reading the run history of sync " + sync + ": " + Pg.firstLine(e.getMessage()), e);
  }

  private RuntimeException damaged(IOException e) {
    return failed(new SQLException("a stored call is damaged: " + e.getMessage(), e));
  }
}
