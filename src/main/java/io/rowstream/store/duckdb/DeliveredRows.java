package io.rowstream.store.duckdb;

import io.rowstream.state.DeliveredState.DeliveredRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/** The delivered rows of a {@link DuckDbState} (table delivered): read one, count, forget. */
final class DeliveredRows {
  private final DuckDbState state;
  private final DuckDBConnection connection;
  private final DuckDBConnection writer;

  DeliveredRows(DuckDbState state, DuckDBConnection connection, DuckDBConnection writer) {
    this.state = state;
    this.connection = connection;
    this.writer = writer;
  }

  Optional<DeliveredRow> delivered(String key) {
    try (PreparedStatement s =
        connection.prepareStatement("select row, h from delivered where pk = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new DeliveredRow(key, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
  }

  long count() {
    try {
      return state.count("delivered");
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
  }

  /** Forgets {@code keys}, or every row when empty; returns how many rows were forgotten. */
  long forget(Optional<Collection<String>> keys) {
    try {
      if (keys.isEmpty()) {
        long n = state.count("delivered");
        state.transaction(writer, List.of("delete from delivered"));
        return n;
      }
      writer.setAutoCommit(false);
      try (PreparedStatement s = writer.prepareStatement("delete from delivered where pk = ?")) {
        long n = 0;
        for (String key : keys.get()) {
          s.setString(1, key);
          n += s.executeUpdate();
        }
        writer.commit();
        return n;
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw state.failed("forgetting delivered rows in", e);
    }
  }
}
