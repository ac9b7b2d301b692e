package io.rowstream.store.sqlite;

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
import java.util.OptionalLong;

/** The reads of the run history, on any connection to its file (the writer's or a reader's). */
final class HistoryQueries {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final String RUN_COLUMNS = HistoryRows.RUN_COLUMNS;

  private static final String CALL_COLUMNS = HistoryRows.callColumns("");

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
    return HistoryRows.run(
        rs,
        new HistoryRows.RunContext() {
          @Override
          public boolean alive(Long pid, Optional<Instant> reportedAt) {
            return HistoryRows.reportedRecently(reportedAt, clock)
                && (pid == null || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
          }

          @Override
          public Map<String, Long> reasons(String runId) throws SQLException {
            return HistoryQueries.this.reasons(on, runId);
          }
        });
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
    return calls(on, runId, 0, Integer.MAX_VALUE);
  }

  List<StoredCall> calls(Connection on, String runId, int offset, int limit) {
    List<StoredCall> calls = new ArrayList<>();
    try (PreparedStatement s =
            Sqlite.prepare(
                on,
                "select "
                    + CALL_COLUMNS
                    + " from calls where run_id = ? order by started_ms, seq limit ? offset ?",
                runId,
                limit,
                offset);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        calls.add(storedCall(rs));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return calls;
  }

  /** The run's number in {@code call_keys}; empty when it recorded no calls with records. */
  private OptionalLong runNumber(Connection on, String runId) throws SQLException {
    return HistorySchema.runNumberOf(on, runId);
  }

  List<KeyInCall> callsCarrying(Connection on, String runId, String key) {
    List<KeyInCall> found = new ArrayList<>();
    try {
      OptionalLong n = runNumber(on, runId);
      if (n.isEmpty()) {
        return found;
      }
      List<long[]> hits = new ArrayList<>();
      try (PreparedStatement s =
              Sqlite.prepare(
                  on,
                  // a running run's rows are not indexed yet: they are found by a scan of the
                  // unindexed rows, which hold only running (or killed) runs' keys
                  "select seq, idx, f from call_keys where n = ? and pk = ? union all "
                      + "select seq, idx, f from call_keys_new where n = ? and pk = ? order by seq",
                  n.getAsLong(),
                  key,
                  n.getAsLong(),
                  key);
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          hits.add(new long[] {rs.getLong(1), rs.getInt(2), rs.getInt(3)});
        }
      }
      for (long[] hit : hits) {
        int index = (int) hit[1];
        try (PreparedStatement s =
                Sqlite.prepare(
                    on,
                    "select "
                        + CALL_COLUMNS
                        + ", shards, sequence_numbers, errors, data from calls "
                        + "where run_id = ? and seq = ?",
                    runId,
                    hit[0]);
            ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            continue;
          }
          List<Optional<RecordData>> records = PackedCalls.records(rs.getBytes(15));
          found.add(
              new KeyInCall(
                  storedCall(rs),
                  index,
                  PackedCalls.result(rs.getString(12), rs.getString(13), rs.getString(14), index),
                  PackedCalls.event((int) hit[2]),
                  index < records.size() ? records.get(index) : Optional.empty()));
        }
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    } catch (IOException e) {
      throw damaged(e);
    }
    found.sort(
        java.util.Comparator.comparing((KeyInCall k) -> k.call().call().startedAt())
            .thenComparingLong(k -> k.call().seq()));
    return found;
  }

  List<CallEntry> entries(Connection on, String runId, long seq) {
    List<CallEntry> entries = new ArrayList<>();
    try {
      List<String> keys;
      String shards;
      String sequenceNumbers;
      String errors;
      List<Optional<RecordData>> records;
      try (PreparedStatement s =
              Sqlite.prepare(
                  on,
                  "select keys, shards, sequence_numbers, errors, data from calls "
                      + "where run_id = ? and seq = ?",
                  runId,
                  seq);
          ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return entries;
        }
        keys = PackedCalls.keys(rs.getString(1));
        shards = rs.getString(2);
        sequenceNumbers = rs.getString(3);
        errors = rs.getString(4);
        records = PackedCalls.records(rs.getBytes(5));
      }
      OptionalLong n = runNumber(on, runId);
      List<EntryResult> results = PackedCalls.results(shards, sequenceNumbers, errors, keys.size());
      try (PreparedStatement s =
          on.prepareStatement("select f from call_keys where n = ? and pk = ? and seq = ?")) {
        for (int i = 0; i < keys.size(); i++) {
          String event = null;
          if (n.isPresent()) {
            s.setLong(1, n.getAsLong());
            s.setString(2, keys.get(i));
            s.setLong(3, seq);
            try (ResultSet rs = s.executeQuery()) {
              event = rs.next() ? PackedCalls.event(rs.getInt(1)) : null;
            }
          }
          entries.add(
              new CallEntry(
                  i,
                  keys.get(i),
                  event,
                  Optional.ofNullable(results.get(i)),
                  i < records.size() ? records.get(i) : Optional.empty()));
        }
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    } catch (IOException e) {
      throw damaged(e);
    }
    return entries;
  }

  /**
   * The rows of a run by key: the stored ones from {@code call_keys} (one per time a call stored
   * the record) and the rejected ones from {@code rejections}, each read in key order from its
   * index and merged, so a page costs its offset plus its length, not the run's size. The shard and
   * sequence number of the page's stored rows are then read from their calls.
   */
  List<RunRow> rows(Connection on, String runId, RowFilter filter, int offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must be 0 or more");
    }
    int code = filter.event().map(PackedCalls::eventCode).orElse(0);
    boolean successful = filter.outcome().map(o -> o == RowOutcome.SUCCESSFUL).orElse(true);
    boolean rejected = filter.outcome().map(o -> o == RowOutcome.REJECTED).orElse(true);
    List<RunRow> rows = new ArrayList<>();
    try {
      OptionalLong n = runNumber(on, runId);
      successful = successful && n.isPresent() && code >= 0;
      String stored =
          "select pk, f >> 1, 0, seq, idx, null, null from call_keys where n = ? and (f & 1) = 1"
              + (code > 0 ? " and (f >> 1) = ?" : "");
      String refused =
          "select pk, op, 1, 0, 0, reason, message from rejections where run_id = ?"
              + (filter.event().isPresent() ? " and op = ?" : "");
      // each side read in key order from its own index, at most offset + limit rows, and merged
      // here: a page costs its offset plus its length, whatever the run's size
      int wanted = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit);
      List<Hit> hits = new ArrayList<>();
      if (successful) {
        List<Object> parameters = new ArrayList<>(List.of(n.getAsLong()));
        if (code > 0) {
          parameters.add(code);
        }
        parameters.add(wanted);
        readHits(on, stored + " order by pk, seq limit ?", parameters, hits);
      }
      if (rejected) {
        List<Object> parameters = new ArrayList<>(List.of(runId));
        filter.event().ifPresent(parameters::add);
        parameters.add(wanted);
        readHits(on, refused + " order by pk limit ?", parameters, hits);
      }
      hits.sort(
          java.util.Comparator.comparing(
              Hit::key, java.util.Comparator.nullsFirst(String::compareTo)));
      for (Hit h : hits.subList(Math.min(offset, hits.size()), Math.min(wanted, hits.size()))) {
        rows.add(
            h.rejection() == null
                ? new RunRow(
                    h.key(),
                    h.event(),
                    RowOutcome.SUCCESSFUL,
                    h.seq(),
                    Optional.empty(),
                    Optional.empty())
                : new RunRow(
                    h.key(),
                    h.event(),
                    RowOutcome.REJECTED,
                    0,
                    Optional.empty(),
                    Optional.of(h.rejection())));
      }
    } catch (SQLException e) {
      throw Sqlite.failed("reading", sync, e);
    }
    return rows;
  }

  /** One row as a side of {@link #rows} read it: stored (a call and index) or rejected. */
  private record Hit(String key, String event, long seq, int index, RejectedRow rejection) {}

  /** Reads one side of {@link #rows}: key, event, kind (0 stored), call, index, reason, message. */
  private static void readHits(Connection on, String sql, List<Object> parameters, List<Hit> into)
      throws SQLException {
    try (PreparedStatement s = Sqlite.prepare(on, sql, parameters.toArray());
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String key = rs.getString(1);
        if (rs.getInt(3) == 0) {
          into.add(
              new Hit(
                  key, PackedCalls.event(rs.getInt(2) << 1), rs.getLong(4), rs.getInt(5), null));
        } else {
          String event = rs.getString(2);
          into.add(
              new Hit(
                  key, event, 0, 0, new RejectedRow(key, event, rs.getString(6), rs.getString(7))));
        }
      }
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
                "select run_id, started_at from runs r where exists (select 1 from run_numbers m "
                    + "join call_keys k on k.n = m.n where m.run_id = r.run_id and k.pk = ?) "
                    + "or exists (select 1 from rejections j where j.run_id = r.run_id and j.pk = ?) "
                    + "order by started_ms desc, run_id desc limit ?",
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

  private static StoredCall storedCall(ResultSet rs) throws SQLException {
    return HistoryRows.storedCall(rs);
  }
}
