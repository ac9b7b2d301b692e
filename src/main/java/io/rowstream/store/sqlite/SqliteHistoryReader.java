package io.rowstream.store.sqlite;

import io.rowstream.history.CallEntry;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.KeyInRun;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RunRow;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Reads a history file through a read-only connection (or reads nothing: no file, no runs). */
final class SqliteHistoryReader implements HistoryReader {
  private final Connection connection;
  private final HistoryQueries queries;
  private boolean ready;
  private boolean keyed;

  /**
   * @param connection null when the sync has no history yet
   */
  SqliteHistoryReader(Connection connection, HistoryQueries queries) {
    this.connection = connection;
    this.queries = queries;
  }

  @Override
  public synchronized List<RunView> runs(int limit, Optional<String> before) {
    return !ready() ? List.of() : queries.runs(connection, limit, before);
  }

  @Override
  public synchronized Optional<RunView> run(String runId) {
    return !ready() ? Optional.empty() : queries.run(connection, runId);
  }

  @Override
  public synchronized List<String> runIds() {
    return !ready() ? List.of() : queries.runIds(connection);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, int limit) {
    return !ready() ? List.of() : queries.rejections(connection, runId, limit);
  }

  @Override
  public synchronized List<RejectedRow> rejections(String runId, String key) {
    return !ready() ? List.of() : queries.rejections(connection, runId, key);
  }

  @Override
  public synchronized List<StoredCall> calls(String runId) {
    return !ready() ? List.of() : queries.calls(connection, runId);
  }

  @Override
  public synchronized List<StoredCall> calls(String runId, int offset, int limit) {
    return !ready() ? List.of() : queries.calls(connection, runId, offset, limit);
  }

  @Override
  public synchronized List<KeyInCall> callsCarrying(String runId, String key) {
    return !keyed() ? List.of() : queries.callsCarrying(connection, runId, key);
  }

  @Override
  public synchronized List<RunRow> rows(String runId, RowFilter filter, int offset, int limit) {
    return !keyed() ? List.of() : queries.rows(connection, runId, filter, offset, limit);
  }

  @Override
  public synchronized List<CallEntry> entries(String runId, long seq) {
    return !keyed() ? List.of() : queries.entries(connection, runId, seq);
  }

  @Override
  public synchronized List<KeyInRun> keyHistory(String key, int limit) {
    return !keyed() ? List.of() : queries.keyHistory(connection, key, limit);
  }

  /**
   * Whether the rows of calls can be read by key: a file of an older schema lists its runs and
   * calls, and its next writer migrates it.
   */
  private boolean keyed() {
    if (!keyed && ready()) {
      try {
        keyed = HistorySchema.version(connection) >= HistorySchema.VERSION;
      } catch (SQLException e) {
        throw Sqlite.failed("reading", queries.sync(), e);
      }
    }
    return keyed;
  }

  /** Whether there is anything to read: a file whose tables its first writer has created. */
  private boolean ready() {
    if (!ready && connection != null) {
      try {
        ready = HistorySchema.exists(connection);
      } catch (SQLException e) {
        throw Sqlite.failed("reading", queries.sync(), e);
      }
    }
    return ready;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      Sqlite.closeQuietly(connection);
    }
  }
}
