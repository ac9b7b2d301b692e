package io.rowstream.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A project for the web UI's tests: a DuckDB model and a rowstream.yaml served on a free port. */
final class WebProject {
  static final String TOKEN = "web-test-token-0123456789abcdef";
  static final String AWS_SECRET = "aws-secret-value-never-shown-42";

  final Path dir;
  final Path file;
  private String top = "";

  WebProject(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("rowstream.yaml");
  }

  WebProject sql(String... statements) {
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

  /** Top-level YAML written before the sources (such as an {@code alerts:} section). */
  WebProject top(String yaml) {
    this.top = yaml;
    return this;
  }

  /** Writes the config: destinations {@code name -> endpoint} as YAML, then the syncs. */
  WebProject write(String destinations, String syncs) {
    String yaml =
        """
        # the web UI's test project
        %ssources:
          model:
            type: duckdb
            path: model.duckdb
        destinations:
        %s
        server:
          bind: 127.0.0.1
          port: 0
          api_token: %s
          max_concurrent_runs: 2
        syncs:
        %s
        """
            .formatted(
                top,
                destinations.indent(2).stripTrailing(),
                TOKEN,
                syncs.indent(2).stripTrailing());
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  static String destination(String name, String endpoint, String extra) {
    return """
        %s:
          type: kinesis
          region: us-east-1
          endpoint: %s
          credentials:
            access_key_id: AKIAWEBTESTKEY12345
            secret_access_key: %s
        """
            .formatted(name, endpoint, AWS_SECRET)
        + extra.indent(2);
  }

  static String sync(String name, String table, String destination, String stream, String extra) {
    return """
        %s:
          source: model
          table: %s
          primary_key: id
          destination: %s
          stream: %s
        """
            .formatted(name, table, destination, stream)
        + extra.indent(2);
  }
}
