package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The delivered-state contract against the shared PostgreSQL state. */
class PostgresDeliveredStateIT extends DeliveredStateContract {
  private static PgFixture pg;
  private StateConfig state;

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PgFixture.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  @BeforeEach
  void newSchema() {
    state = pg.newState(dir);
  }

  @Override
  protected DeliveredState open(Path dir, String sync) {
    return PostgresState.open(state, sync);
  }

  /** The lease is an advisory lock held by a session: a second open is a second holder. */
  @Override
  protected DeliveredState openAsAnotherHolder(Path dir, String sync) {
    return PostgresState.open(state, sync);
  }
}
