package io.rowstream.store.postgres;

import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.CallRecorder;
import io.rowstream.state.Redaction;
import io.rowstream.store.sqlite.CallRecords;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores the API calls of one run in the shared state, as the embedded history does: scrubbed on
 * the reporting thread, written {@link #BATCH} at a time in one transaction on the history's
 * connection for calls.
 */
final class PgCallRecorder implements CallRecorder {
  static final int BATCH = 64;

  private record CallRow(long seq, ApiCall call, String failed, CallRecords.Packed records) {}

  private final Connection connection;
  private final PgHistoryQueries queries;
  private final String runId;
  private final List<String> secrets;
  private final int maxDataBytes;
  private final AtomicLong seq = new AtomicLong();
  private List<CallRow> pending = new ArrayList<>();
  private RuntimeException failure;

  PgCallRecorder(
      Connection connection,
      PgHistoryQueries queries,
      String runId,
      List<String> secrets,
      int maxDataBytes) {
    this.connection = connection;
    this.queries = queries;
    this.runId = runId;
    this.secrets = List.copyOf(secrets);
    this.maxDataBytes = maxDataBytes;
  }

  @Override
  public void record(ApiCall call) {
    CallRow row;
    try {
      row = serialize(seq.incrementAndGet(), call);
    } catch (IOException e) {
      row = null;
    }
    List<CallRow> full = null;
    synchronized (this) {
      if (row != null && failure == null) {
        pending.add(row);
      }
      if (pending.size() >= BATCH) {
        full = pending;
        pending = new ArrayList<>();
      }
    }
    if (full != null) {
      write(full);
    }
  }

  @Override
  public void flush() {
    List<CallRow> rest;
    synchronized (this) {
      rest = pending;
      pending = new ArrayList<>();
    }
    if (!rest.isEmpty()) {
      write(rest);
    }
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void write(List<CallRow> rows) {
    try {
      append(rows);
    } catch (SQLException e) {
      // the calls are for debugging; a failed write must not stop sending, flush() reports it
      synchronized (this) {
        if (failure == null) {
          failure = queries.failed(e);
        }
      }
    }
  }

  private void append(List<CallRow> rows) throws SQLException {
    String sync = queries.sync();
    synchronized (connection) {
      Pg.transaction(
          connection,
          List.of(
              c -> {
                try (PreparedStatement calls =
                        c.prepareStatement(
                            "insert into "
                                + queries.t("calls")
                                + " (sync, run_id, seq, operation, started_ms, duration_ms,"
                                + " attempt, http_status, request_id, records, bytes, failed,"
                                + " error, keys, data)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement keys =
                        c.prepareStatement(
                            "insert into "
                                + queries.t("call_keys")
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " on conflict do nothing")) {
                  for (CallRow row : rows) {
                    ApiCall call = row.call();
                    calls.setString(1, sync);
                    calls.setString(2, runId);
                    calls.setLong(3, row.seq());
                    calls.setString(4, call.operation());
                    calls.setLong(5, call.startedAt().toEpochMilli());
                    calls.setDouble(6, call.duration().toNanos() / 1_000_000.0);
                    calls.setInt(7, call.attempt());
                    calls.setInt(8, call.httpStatus());
                    text(calls, 9, call.requestId().orElse(null));
                    calls.setInt(10, call.records());
                    calls.setLong(11, call.bytes());
                    text(calls, 12, row.failed());
                    text(calls, 13, call.error().orElse(null));
                    text(calls, 14, row.records().keys());
                    text(calls, 15, row.records().data());
                    calls.addBatch();
                    for (CallRecords.KeyRow k : row.records().rows()) {
                      keys.setString(1, sync);
                      keys.setString(2, runId);
                      keys.setString(3, k.key());
                      keys.setLong(4, row.seq());
                      keys.setInt(5, k.index());
                      text(keys, 6, k.event());
                      text(keys, 7, k.shard());
                      text(keys, 8, k.sequenceNumber());
                      text(keys, 9, k.errorCode());
                      text(keys, 10, k.errorMessage());
                      keys.addBatch();
                    }
                  }
                  calls.executeBatch();
                  keys.executeBatch();
                }
              }));
    }
  }

  private static void text(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private CallRow serialize(long n, ApiCall call) throws IOException {
    Map<String, Integer> failedByCode = new TreeMap<>();
    List<EntryResult> entries = new ArrayList<>(call.entries().size());
    for (EntryResult e : call.entries()) {
      if (e.ok()) {
        entries.add(e);
      } else {
        failedByCode.merge(e.errorCode(), 1, Integer::sum);
        entries.add(EntryResult.failed(e.errorCode(), Redaction.scrub(e.errorMessage(), secrets)));
      }
    }
    ApiCall scrubbed =
        new ApiCall(
            call.operation(),
            call.startedAt(),
            call.duration(),
            call.attempt(),
            call.httpStatus(),
            call.requestId(),
            call.records(),
            call.bytes(),
            call.keys(),
            entries,
            call.error().map(text -> Redaction.scrub(text, secrets)),
            call.sent());
    return new CallRow(
        n,
        scrubbed,
        failedByCode.isEmpty() ? null : PgHistoryQueries.JSON.writeValueAsString(failedByCode),
        CallRecords.pack(scrubbed, secrets, maxDataBytes));
  }
}
