package io.rowstream.source;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Every source type is JDBC; the types differ in how they stream a large result. */
final class JdbcSource implements Source {
  /** Rows fetched per round trip where the driver streams with a fetch size. */
  static final int FETCH_SIZE = 10_000;

  private final SourceConfig config;
  private final Connection connection;

  private JdbcSource(SourceConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
  }

  static JdbcSource connect(SourceConfig config) {
    Properties props = new Properties();
    config.user().ifPresent(u -> props.setProperty("user", u));
    config.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    String url;
    switch (config.type()) {
      case DUCKDB -> {
        url =
            "jdbc:duckdb:"
                + (config.path().orElseThrow().equals(":memory:")
                    ? ""
                    : config.path().orElseThrow());
        if (!config.path().orElseThrow().equals(":memory:")) {
          props.setProperty("duckdb.read_only", "true");
          if (!java.nio.file.Files.exists(java.nio.file.Path.of(config.path().orElseThrow()))) {
            throw RowstreamException.fatal(
                ErrorCode.SOURCE_UNREACHABLE,
                "source "
                    + config.name()
                    + ": DuckDB file "
                    + config.path().orElseThrow()
                    + " does not exist");
          }
        }
        props.setProperty("jdbc_stream_results", "true");
      }
      case MYSQL -> {
        url = config.url().orElseThrow();
        if (url.startsWith("jdbc:mysql:")) {
          props.setProperty("permitMysqlScheme", "true");
        }
      }
      default -> url = config.url().orElseThrow();
    }
    try {
      if (config.driver().isPresent()) {
        Class.forName(config.driver().get());
      }
      Connection connection = DriverManager.getConnection(url, props);
      if (config.type() != SourceConfig.Type.DUCKDB) {
        connection.setReadOnly(true);
        // PostgreSQL streams with a fetch size only inside a transaction.
        connection.setAutoCommit(false);
      }
      return new JdbcSource(config, connection);
    } catch (ClassNotFoundException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_UNREACHABLE,
          "source "
              + config.name()
              + ": driver class "
              + config.driver().get()
              + " is not on the class path; put its jar in lib/ beside rowstream");
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_UNREACHABLE,
          "source "
              + config.name()
              + ": cannot connect to "
              + redact(url)
              + ": "
              + SqlErrors.describe(e),
          e);
    }
  }

  @Override
  public ModelCursor open(String query, String primaryKey) {
    requireNonNull(query, "query is null");
    try {
      Statement statement =
          connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(FETCH_SIZE);
      ResultSet rs = statement.executeQuery(query);
      RowEncoder encoder;
      try {
        encoder = RowEncoder.of(rs.getMetaData(), primaryKey);
      } catch (IllegalArgumentException e) {
        statement.close();
        throw RowstreamException.fatal(
            ErrorCode.SOURCE_QUERY_FAILED, "source " + config.name() + ": " + e.getMessage());
      }
      return new ResultSetCursor(config.name(), statement, rs, encoder);
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED,
          "source " + config.name() + ": query failed: " + SqlErrors.describe(e),
          e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing was written through this connection
    }
  }

  private static String redact(String url) {
    return Redactor.SHAPES_ONLY.scrub(url);
  }
}
