package io.rowstream.store.postgres;

import io.rowstream.core.Secret;
import io.rowstream.state.WorkerLeases;
import io.rowstream.state.WorkerLeasesContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The worker leases contract against a real PostgreSQL, each worker on its own connection. */
class PgWorkerLeasesIT extends WorkerLeasesContract {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  protected WorkerLeases openWorker() {
    return PgWorkerLeases.open(
        postgres.getJdbcUrl("postgres", "postgres"),
        Optional.of("postgres"),
        Optional.of(new Secret("unused")),
        "rowstream");
  }
}
