package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.state.SyncDocuments;
import io.rowstream.state.SyncDocumentsContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The per-sync documents (alert states) contract against the shared PostgreSQL state. */
class PostgresDocumentsIT extends SyncDocumentsContract {
  private static PgFixture pg;
  private final Map<Path, StateConfig> states = new HashMap<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PgFixture.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  @Override
  protected SyncDocuments open(Path dir) {
    return new PostgresDocuments(states.computeIfAbsent(dir, pg::newState));
  }
}
