package io.rowstream.store.postgres;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.StateConfig;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.state.SyncDocuments;
import io.rowstream.store.StateBackend;
import io.rowstream.store.SyncStore;
import java.time.Clock;

/**
 * The shared state in PostgreSQL ({@code state: {type: postgres, ...}}): the delivered state of
 * every sync, its lease, its run history (runs, rejections, calls) and the alert states in one
 * schema, so several processes share them. Connections are opened per use and closed with what
 * opened them.
 */
public final class PostgresBackend implements StateBackend {
  private final StateConfig config;
  private final SyncDocuments documents;

  public PostgresBackend(StateConfig config) {
    this.config = requireNonNull(config, "config is null");
    if (config.type() != StateConfig.Type.POSTGRES) {
      throw new IllegalArgumentException("not a postgres state: " + config.type());
    }
    this.documents = new PostgresDocuments(config);
  }

  @Override
  public SyncStore open(String sync) {
    return PostgresState.open(config, sync);
  }

  @Override
  public SyncStore openReadOnly(String sync) {
    return PostgresState.openReadOnly(config, sync);
  }

  @Override
  public RunHistory openHistory(SyncStore held, Clock clock) {
    return PostgresHistory.open(config, held.sync(), clock);
  }

  @Override
  public HistoryReader readHistory(String sync) {
    return PostgresHistory.reader(config, sync, Clock.systemUTC());
  }

  @Override
  public SyncDocuments documents() {
    return documents;
  }
}
