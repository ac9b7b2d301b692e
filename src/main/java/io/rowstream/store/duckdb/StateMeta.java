package io.rowstream.store.duckdb;

import io.rowstream.state.SyncIdentity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * What a {@link DuckDbState} records of its sync in table meta: whether a run completed, and the
 * stream and primary key it delivered to (the fingerprint scheme is {@link DuckDbPlanner}'s).
 */
final class StateMeta {
  private final DuckDbState state;
  private final DuckDBConnection connection;
  private final DuckDBConnection writer;

  StateMeta(DuckDbState state, DuckDBConnection connection, DuckDBConnection writer) {
    this.state = state;
    this.connection = connection;
    this.writer = writer;
  }

  boolean initialized() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from meta where key = 'initialized'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
  }

  void markInitialized() {
    state.execute("insert or replace into meta values ('initialized', 'true')");
  }

  Optional<SyncIdentity> identity() {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select (select value from meta where key = 'stream'), "
                    + "(select value from meta where key = 'primary_key')")) {
      rs.next();
      return rs.getString(1) == null || rs.getString(2) == null
          ? Optional.empty()
          : Optional.of(new SyncIdentity(rs.getString(1), rs.getString(2)));
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
  }

  void recordIdentity(SyncIdentity identity) {
    state.transaction(
        writer,
        List.of(
            "insert or replace into meta values ('stream', "
                + DuckDb.literal(identity.stream())
                + ")",
            "insert or replace into meta values ('primary_key', "
                + DuckDb.literal(identity.primaryKey())
                + ")"));
  }
}
