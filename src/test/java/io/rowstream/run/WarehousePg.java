package io.rowstream.run;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL model for warehouse planning tests: a database of its own in an embedded server, SQL
 * run against it, and a config whose source plans in the warehouse.
 */
final class WarehousePg {
  final EmbeddedPostgres server;
  final String database;

  WarehousePg(EmbeddedPostgres server, String database) {
    this.server = server;
    this.database = database;
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
  }

  Connection connect(String user) throws SQLException {
    return DriverManager.getConnection(url(), user, user);
  }

  void sql(String... statements) {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row of {@code query}, as text. */
  List<String> strings(String query) {
    List<String> out = new ArrayList<>();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  long count(String query) {
    return Long.parseLong(strings(query).get(0));
  }

  /**
   * Writes {@code dir/rowstream.yaml}: source {@code pg} (as {@code user}, planning in the
   * warehouse), destination {@code kinesis} at {@code endpoint}, and sync {@code customers} of
   * {@code table} to {@code stream}.
   */
  Path config(Path dir, String user, String endpoint, String table, String stream)
      throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(
        file,
        """
        sources:
          pg:
            type: postgres
            url: %s
            user: %s
            password: %s
            planning: warehouse
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials: {access_key_id: test, secret_access_key: test-secret}
        syncs:
          customers:
            source: pg
            table: %s
            primary_key: id
            destination: kinesis
            stream: %s
        """
            .formatted(url(), user, user + "-pw", endpoint, table, stream));
    return file;
  }
}
