package io.rowstream.store.duckdb;

import static java.util.Objects.requireNonNull;

import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.state.SyncDocuments;
import io.rowstream.store.StateBackend;
import io.rowstream.store.SyncStore;
import io.rowstream.store.sqlite.SqliteHistory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The embedded state (the default): per sync, {@code SYNC.duckdb} (delivered state and planning,
 * its file lock the lease), {@code SYNC.history.db} (SQLite run history) and {@code
 * SYNC.alerts.json}, all in the state folder.
 */
public final class EmbeddedBackend implements StateBackend {
  private final Path dir;
  private final SyncDocuments documents;

  public EmbeddedBackend(Path stateDir) {
    this.dir = requireNonNull(stateDir, "stateDir is null");
    this.documents = new JsonFileDocuments(stateDir);
  }

  @Override
  public SyncStore open(String sync) {
    return DuckDbState.open(dir, sync);
  }

  @Override
  public SyncStore openReadOnly(String sync) {
    return DuckDbState.openReadOnly(dir, sync);
  }

  @Override
  public RunHistory openHistory(SyncStore held, Clock clock) {
    SqliteHistory history = SqliteHistory.open(dir, held.sync(), clock);
    if (held instanceof DuckDbState state) {
      try {
        // the history an older Rowstream kept in the state's file moves to the history's own
        for (DuckDbState.LegacyRun old : state.legacyRuns()) {
          history.importRun(
              old.runId(),
              old.startedAt(),
              old.finishedAt(),
              old.status(),
              old.summaryJson(),
              old.rejections());
        }
        state.dropLegacyHistory();
      } catch (RuntimeException e) {
        history.close();
        throw e;
      }
    }
    return history;
  }

  @Override
  public HistoryReader readHistory(String sync) {
    return SqliteHistory.reader(dir, sync);
  }

  @Override
  public SyncDocuments documents() {
    return documents;
  }
}
