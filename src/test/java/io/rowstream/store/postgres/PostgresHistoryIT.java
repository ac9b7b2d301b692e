package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunHistoryContract;
import io.rowstream.store.SyncStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The run-history contract against the shared PostgreSQL state. The writer is opened under the
 * sync's lease, as a run opens it, so a running run reads as alive.
 */
class PostgresHistoryIT extends RunHistoryContract {
  private static PgFixture pg;
  private final Map<Path, StateConfig> states = new HashMap<>();
  private final Map<String, SyncStore> leases = new HashMap<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PgFixture.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  @AfterEach
  void releaseLeases() {
    leases.values().forEach(SyncStore::close);
  }

  private StateConfig state(Path dir) {
    return states.computeIfAbsent(dir, pg::newState);
  }

  @Override
  protected RunHistory openWriter(Path dir, String sync, Clock clock) {
    leases.computeIfAbsent(dir + "/" + sync, k -> PostgresState.open(state(dir), sync));
    return PostgresHistory.open(state(dir), sync, clock);
  }

  @Override
  protected HistoryReader openReader(Path dir, String sync, Clock clock) {
    return PostgresHistory.reader(state(dir), sync, clock);
  }
}
