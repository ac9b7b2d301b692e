package io.rowstream.bench;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The backfill benchmarks' model: a DuckDB file of {@code rows} customers (id, name, email,
 * balance), and a config with sync {@code c} from it to {@code stream} at {@code endpoint}.
 */
final class CustomersModel {
  private CustomersModel() {}

  static void create(Path dir, int rows) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(
          "create table customers as select i as id, 'customer ' || i as name, 'c' || i || '@example.com' "
              + "as email, cast(i * 1.25 as decimal(12,2)) as balance from range("
              + rows
              + ") t(i)");
    }
  }

  static RowstreamConfig config(Path dir, String endpoint, String stream) throws IOException {
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {m: {type: duckdb, path: model.duckdb}}
        destinations:
          k: {type: kinesis, region: us-east-1, endpoint: "%s", credentials: {access_key_id: a, secret_access_key: b}}
        syncs:
          c: {source: m, table: customers, primary_key: id, destination: k, stream: %s}
        """
            .formatted(endpoint, stream));
    return ConfigReader.read(dir.resolve("rowstream.yaml")).config().orElseThrow();
  }
}
