package io.rowstream.store.duckdb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The catalogs the in-place planner attaches to a state's planning connection: the DuckDB model
 * file (read-only) and the in-memory scratch catalog {@link DuckDbState#SCRATCH}.
 */
final class ModelCatalogs {
  private final DuckDbState state;

  /** The connection plans run on (temporary tables and attachments are per connection). */
  private final DuckDBConnection connection;

  ModelCatalogs(DuckDbState state, DuckDBConnection connection) {
    this.state = state;
    this.connection = connection;
  }

  /** Detaches the in-place planner's scratch tables, if there are any. */
  void dropScratch() {
    try {
      DuckDb.execute(connection, "detach database if exists " + DuckDbState.SCRATCH);
    } catch (SQLException ignored) {
      // they live in memory and go with the connection
    }
  }

  /**
   * Attaches a DuckDB model file read-only; returns its catalog name. Without AS DuckDB names the
   * catalog as it would when opening the file directly, so queries that name their catalog still
   * resolve.
   */
  String attachModel(Path file) throws SQLException {
    Set<String> before = databases();
    DuckDb.execute(connection, "attach " + DuckDb.literal(file.toString()) + " (read_only)");
    Set<String> after = databases();
    after.removeAll(before);
    return after.iterator().next();
  }

  void detachModel(String alias) {
    try {
      DuckDb.execute(connection, "detach " + DuckDb.identifier(alias));
    } catch (SQLException e) {
      throw state.failed("detaching the model from", e);
    }
  }

  String currentDatabase() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Set<String> databases() throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select database_name from duckdb_databases()")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
