package io.rowstream.store.duckdb;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.duckdb.DuckDBConnection;

/**
 * A streaming query of a plan, prepared now and started on a connection and thread of its own, so
 * that DuckDB builds its hash table while the rows before it are read and sent ({@link
 * InPlaceStream}). Its result is its own connection's: closing the result's statement and then this
 * closes everything.
 */
final class PendingRows {
  private final DuckDBConnection connection;
  private final PreparedStatement statement;
  private final CompletableFuture<ResultSet> result;

  private PendingRows(
      DuckDBConnection connection,
      PreparedStatement statement,
      CompletableFuture<ResultSet> result) {
    this.connection = connection;
    this.statement = statement;
    this.result = result;
  }

  /**
   * Prepares {@code sql} (planned now, with the build side {@link InPlaceStream} wants) on a new
   * connection to the database of {@code reader}, where unqualified names resolve in {@code alias},
   * and starts it.
   */
  static PendingRows start(DuckDBConnection reader, String alias, String sql) throws SQLException {
    DuckDBConnection connection = reader.duplicate();
    PreparedStatement statement;
    try {
      DuckDb.execute(connection, "use " + DuckDb.identifier(alias));
      statement =
          BuildSide.onDelivered(
              connection,
              () ->
                  connection.prepareStatement(
                      sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY));
    } catch (SQLException | RuntimeException e) {
      DuckDb.closeQuietly(connection);
      throw e;
    }
    CompletableFuture<ResultSet> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(statement.executeQuery());
              } catch (SQLException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            "rowstream-plan-rest");
    t.setDaemon(true);
    t.start();
    return new PendingRows(connection, statement, result);
  }

  /** Waits for the query's first rows. */
  ResultSet await() throws SQLException {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SQLException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /** Stops the query if it still runs, waits for it, and closes its connection. */
  void close() {
    if (!result.isDone()) {
      try {
        statement.cancel();
      } catch (SQLException ignored) {
        // it may have ended meanwhile: waiting is enough
      }
    }
    try {
      result.join().close();
    } catch (CompletionException | SQLException ignored) {
      // cancelled, or failed: nothing is read from it
    }
    try {
      statement.close();
    } catch (SQLException ignored) {
      // read-only
    }
    DuckDb.closeQuietly(connection);
  }
}
