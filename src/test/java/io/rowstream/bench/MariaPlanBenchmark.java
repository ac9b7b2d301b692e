package io.rowstream.bench;

import io.rowstream.config.SourceConfig;
import io.rowstream.store.SyncStore;
import io.rowstream.store.warehouse.MariaState;
import io.rowstream.testing.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

/**
 * {@link PgPlanBenchmark} for a MariaDB model (Debian's mariadbd, {@link EmbeddedMariaDb}), through
 * the same {@link WarehousePlanBench}: inside MariaDB ({@code planning: warehouse}) vs row by row
 * in the local DuckDB state vs a plain JDBC read (streamed, fetch size 10,000). Usage:
 * MariaPlanBenchmark [ROWS] (default 1,000,000)
 */
public final class MariaPlanBenchmark {
  private MariaPlanBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    WarehousePlanBench.printMachine();
    try (EmbeddedMariaDb maria = EmbeddedMariaDb.start()) {
      maria.sql("", "create database bench");
      String url = maria.url("bench");
      WarehousePlanBench.run(new Maria(url), url, rows, "rowstream-plan-maria-bench");
    }
  }

  private record Maria(String url) implements WarehousePlanBench.Dialect {
    @Override
    public String sourceKeys() {
      return "mysql, user: root";
    }

    @Override
    public List<String> createModel(int rows) {
      return List.of(
          "create table customers (id int primary key, name varchar(100), email varchar(100),"
              + " balance decimal(12, 2), updated_at datetime, active tinyint(1))",
          "insert into customers select seq, concat('customer ', seq),"
              + " concat('c', seq, '@example.com'), seq * 1.25,"
              + " timestamp '2026-01-01 00:00:00' + interval seq second, seq % 2 = 0"
              + " from seq_1_to_"
              + rows,
          "analyze table customers");
    }

    @Override
    public List<String> changeOnePercent() {
      return List.of(
          "update customers set name = concat(name, ' changed') where id % 100 = 0",
          "analyze table customers");
    }

    @Override
    public SyncStore open(SourceConfig source, String sync) {
      return MariaState.open(source, sync);
    }

    @Override
    public Connection connect() throws Exception {
      return DriverManager.getConnection(url, "root", "");
    }
  }
}
