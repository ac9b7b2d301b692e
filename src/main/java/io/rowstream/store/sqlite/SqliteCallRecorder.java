package io.rowstream.store.sqlite;

import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.CallRecorder;
import io.rowstream.state.Redaction;
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
 * Stores the API calls of one run: each call is scrubbed (and its records' data cut to the bound)
 * on the thread that reports it, and written with the others of its batch in one transaction (the
 * calls and their {@code call_keys} rows), on the history's connection for calls (so runs,
 * rejections and progress do not wait behind a batch).
 */
final class SqliteCallRecorder implements CallRecorder {
  /** Calls written in one transaction; a 1M-row backfill makes about 2,000. */
  static final int BATCH = 64;

  /** A call, scrubbed outside the connection's lock. */
  private record CallRow(long seq, ApiCall call, String failed, PackedCalls.Packed records) {}

  private final Connection connection;
  private final String sync;
  private final String runId;
  private final List<String> secrets;
  private final int maxDataBytes;
  private final AtomicLong seq = new AtomicLong();
  private List<CallRow> pending = new ArrayList<>();

  /** Set and read under the connection's lock; -1 until the first batch. */
  private long runNumber = -1;

  private RuntimeException failure;

  SqliteCallRecorder(
      Connection connection, String sync, String runId, List<String> secrets, int maxDataBytes) {
    this.connection = connection;
    this.sync = sync;
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
    index();
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  @Override
  public void indexSoFar() {
    index();
  }

  /** Moves this run's key rows into the key index, so key searches find them. */
  private void index() {
    try {
      synchronized (connection) {
        if (runNumber >= 0) {
          Sqlite.inTransaction(
              connection,
              () -> {
                HistorySchema.indexKeys(connection, runNumber);
                return null;
              });
        }
      }
    } catch (SQLException e) {
      synchronized (this) {
        if (failure == null) {
          failure = Sqlite.failed("indexing the API calls of", sync, e);
        }
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
          failure = Sqlite.failed("recording API calls in", sync, e);
        }
      }
    }
  }

  private void append(List<CallRow> rows) throws SQLException {
    synchronized (connection) {
      Sqlite.inTransaction(
          connection,
          () -> {
            long n = runNumber();
            try (PreparedStatement calls =
                    connection.prepareStatement(
                        "insert into calls (run_id, seq, operation, started_ms, duration_ms, "
                            + "attempt, http_status, request_id, records, bytes, failed, error, "
                            + "keys, shards, sequence_numbers, errors, data) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement keys = HistorySchema.prepareInsertKeys(connection)) {
              for (CallRow row : rows) {
                ApiCall c = row.call();
                PackedCalls.Packed p = row.records();
                calls.setString(1, runId);
                calls.setLong(2, row.seq());
                calls.setString(3, c.operation());
                calls.setLong(4, c.startedAt().toEpochMilli());
                calls.setDouble(5, c.duration().toNanos() / 1_000_000.0);
                calls.setInt(6, c.attempt());
                calls.setInt(7, c.httpStatus());
                setNullable(calls, 8, c.requestId().orElse(null));
                calls.setInt(9, c.records());
                calls.setLong(10, c.bytes());
                setNullable(calls, 11, row.failed());
                setNullable(calls, 12, c.error().orElse(null));
                setNullable(calls, 13, p.keys());
                setNullable(calls, 14, p.shards());
                setNullable(calls, 15, p.sequenceNumbers());
                setNullable(calls, 16, p.errors());
                if (p.data() == null) {
                  calls.setNull(17, Types.BLOB);
                } else {
                  calls.setBytes(17, p.data());
                }
                calls.addBatch();
                if (p.keys() != null) {
                  HistorySchema.insertKeys(keys, n, row.seq(), p.keys(), p.flags());
                }
              }
              calls.executeBatch();
              keys.executeBatch();
            }
            return null;
          });
    }
  }

  /** This run's number in {@code call_keys}, given by the first batch (under the connection). */
  private long runNumber() throws SQLException {
    if (runNumber < 0) {
      runNumber = HistorySchema.runNumber(connection, runId);
    }
    return runNumber;
  }

  private static void setNullable(PreparedStatement s, int index, String value)
      throws SQLException {
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
        failedByCode.isEmpty() ? null : HistoryQueries.JSON.writeValueAsString(failedByCode),
        PackedCalls.pack(scrubbed, secrets, maxDataBytes));
  }
}
