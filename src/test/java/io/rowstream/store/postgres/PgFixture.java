package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.core.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded PostgreSQL for one test class (started in its {@code @BeforeAll}, closed in its
 * {@code @AfterAll}), and a fresh schema per test so tests never see each other's state.
 */
final class PgFixture implements AutoCloseable {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  final EmbeddedPostgres postgres;

  private PgFixture(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static PgFixture start() throws IOException {
    return new PgFixture(EmbeddedPostgres.start());
  }

  String url() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** A state in a schema no other test uses, with {@code dir} as its scratch folder. */
  StateConfig newState(Path dir) {
    return StateConfig.postgres(
        dir,
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
        Optional.of("postgres"),
        Optional.of(new Secret("postgres")),
        "t" + SCHEMAS.incrementAndGet());
  }

  Connection connection() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
