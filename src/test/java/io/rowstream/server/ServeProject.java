package io.rowstream.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A project for {@code rowstream serve} in a temporary folder: a DuckDB model of customers and a
 * rowstream.yaml with a server section (a free port, a token) and syncs to a simulated stream.
 */
final class ServeProject {
  static final String TOKEN = "serve-test-token-0123456789abcdef";
  static final String AWS_SECRET = "aws-secret-value-never-shown-42";

  final Path dir;
  final Path file;
  private final String endpoint;
  private String destinationExtra = "";
  private String server =
      """
      server:
        bind: 127.0.0.1
        port: 0
        api_token: %s
        max_concurrent_runs: 2
      """
          .formatted(TOKEN);

  ServeProject(Path dir, String endpoint, int rows) {
    this.dir = dir;
    this.file = dir.resolve("rowstream.yaml");
    this.endpoint = endpoint;
    sql(
        "create table customers as select i as id, 'customer ' || i as name from range(1, "
            + (rows + 1)
            + ") t(i)");
  }

  /** Extra keys of the destination, e.g. {@code max_in_flight: 1}. */
  ServeProject destination(String yaml) {
    this.destinationExtra = yaml;
    return this;
  }

  ServeProject server(String yaml) {
    this.server = yaml;
    return this;
  }

  ServeProject sql(String... statements) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /**
   * A sync of the customers table to stream {@code name}, with {@code extra} YAML (schedule, ...).
   */
  static String sync(String name, String extra) {
    return """
        %s:
          source: model
          table: customers
          primary_key: id
          destination: kinesis
          stream: %s
        """
            .formatted(name, name)
        + extra.indent(2);
  }

  ServeProject write(String... syncs) {
    StringBuilder yaml =
        new StringBuilder(
                """
        sources:
          model:
            type: duckdb
            path: model.duckdb
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials:
              access_key_id: test
              secret_access_key: %s
        """
                    .formatted(endpoint, AWS_SECRET))
            .append(destinationExtra.indent(4));
    yaml.append(server).append("syncs:\n");
    for (String sync : syncs) {
      yaml.append(sync.indent(2));
    }
    return writeRaw(yaml.toString());
  }

  ServeProject writeRaw(String yaml) {
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  String read() {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
