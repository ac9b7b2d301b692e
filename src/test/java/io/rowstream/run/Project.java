package io.rowstream.run;

import io.rowstream.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A Rowstream project in a temporary folder: a DuckDB model the test changes with SQL, a
 * rowstream.yaml, and the command line run in-process.
 */
final class Project {
  /** What one command printed, and its exit code. */
  record Result(int exitCode, String out, String err) {}

  final Path dir;
  final Path model;

  Project(Path dir) {
    this.dir = dir;
    this.model = dir.resolve("model.duckdb");
  }

  /**
   * A model of {@code rows} customers (id 1.., name) and sync {@code customers} of its table to
   * {@code stream} at {@code endpoint}.
   */
  Project customers(int rows, String endpoint, String stream) {
    return sql("create table customers as select i as id, 'customer ' || i as name from range(1, "
            + (rows + 1)
            + ") t(i)")
        .config(
            endpoint,
            """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: %s
            """
                .formatted(stream));
  }

  /** Adds {@code yaml} (indented by four) to the destination written by {@link #config}. */
  Project destinationSettings(String yaml) {
    Path file = dir.resolve("rowstream.yaml");
    try {
      Files.writeString(
          file,
          Files.readString(file)
              .replace("    region: us-east-1\n", "    region: us-east-1\n" + yaml));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** Runs SQL statements against the model. */
  Project sql(String... statements) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + model);
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
   * Writes a config with source {@code model} (this DuckDB file) and destination {@code kinesis} at
   * {@code endpoint}; {@code syncs} is the YAML of the syncs section, indented by two.
   */
  Project config(String endpoint, String syncs) {
    return config(
        endpoint,
        """
        access_key_id: test
        secret_access_key: test-secret
        """,
        syncs);
  }

  /**
   * As {@link #config(String, String)}, with {@code credentials} as the YAML of the credentials
   * block; a blank one leaves the block out (the AWS default chain).
   */
  Project config(String endpoint, String credentials, String syncs) {
    String yaml =
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
        %s
        syncs:
        %s"""
            .formatted(
                endpoint,
                credentials.isBlank()
                    ? ""
                    : "    credentials:\n" + credentials.indent(6).stripTrailing(),
                syncs.indent(2));
    try {
      Files.writeString(dir.resolve("rowstream.yaml"), yaml);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  Result cli(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--config";
    full[args.length + 1] = dir.resolve("rowstream.yaml").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(full, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
