package io.rowstream.bench;

import io.rowstream.config.SourceConfig;
import io.rowstream.store.SyncStore;
import io.rowstream.store.warehouse.WarehouseState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

/**
 * Planning a PostgreSQL model with 1% of rows changed ({@link WarehousePlanBench}): inside
 * PostgreSQL ({@code planning: warehouse}) vs row by row in the local DuckDB state vs a plain JDBC
 * read. Usage: PgPlanBenchmark [ROWS] (default 10,000,000)
 */
public final class PgPlanBenchmark {
  private PgPlanBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    WarehousePlanBench.printMachine();
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setServerConfig("shared_buffers", "512MB")
            .setServerConfig("max_wal_size", "8GB")
            .setServerConfig("wal_level", "minimal")
            .setServerConfig("max_wal_senders", "0")
            .start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      WarehousePlanBench.run(new Postgres(url), url, rows, "rowstream-plan-pg-bench");
    }
  }

  private record Postgres(String url) implements WarehousePlanBench.Dialect {
    @Override
    public String sourceKeys() {
      return "postgres, user: postgres";
    }

    @Override
    public List<String> createModel(int rows) {
      return List.of(
          "create table customers as select i as id, 'customer ' || i as name, "
              + "'c' || i || '@example.com' as email, (i * 1.25)::numeric(12, 2) as balance, "
              + "timestamp '2026-01-01' + i * interval '1 second' as updated_at, i % 2 = 0 as active "
              + "from generate_series(1, "
              + rows
              + ") i",
          "vacuum analyze customers");
    }

    @Override
    public List<String> changeOnePercent() {
      return List.of(
          "update customers set name = name || ' changed' where id % 100 = 0",
          "vacuum analyze customers");
    }

    @Override
    public SyncStore open(SourceConfig source, String sync) {
      return WarehouseState.open(source, sync);
    }

    @Override
    public Connection connect() throws Exception {
      return DriverManager.getConnection(url);
    }

    @Override
    public void beforeRead(Connection c) throws Exception {
      c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
    }
  }
}
