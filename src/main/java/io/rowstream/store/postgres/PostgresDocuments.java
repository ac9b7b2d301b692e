package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.state.SyncDocuments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Per-sync documents as rows of {@code SCHEMA.documents}: a save is one committed upsert (atomic,
 * durable); {@link #locked} holds a session advisory lock per sync and document, which every
 * process on the same database respects and which dies with a holder that dies.
 */
final class PostgresDocuments implements SyncDocuments {
  private final StateConfig config;

  PostgresDocuments(StateConfig config) {
    this.config = config;
  }

  @Override
  public Optional<String> load(String sync, String name) {
    try (Connection c = Pg.connect(config)) {
      Pg.ensureSchema(c, config);
      try (PreparedStatement s =
          c.prepareStatement(
              "select body from " + config.schema() + ".documents where sync = ? and name = ?")) {
        s.setString(1, sync);
        s.setString(2, name);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw Pg.failed("reading the " + name + " state of sync " + sync, e, config);
    }
  }

  @Override
  public void save(String sync, String name, String json) {
    try (Connection c = Pg.connect(config)) {
      Pg.ensureSchema(c, config);
      Pg.update(
          c,
          "insert into "
              + config.schema()
              + ".documents (sync, name, body) values (?, ?, ?) on conflict (sync, name)"
              + " do update set body = excluded.body, updated_at = now()",
          sync,
          name,
          json);
    } catch (SQLException e) {
      throw Pg.failed("writing the " + name + " state of sync " + sync, e, config);
    }
  }

  @Override
  public <T> T locked(String sync, String name, Supplier<T> work) {
    long key = Pg.lockKey(config.schema(), "document/" + sync + "/" + name);
    try (Connection c = Pg.connect(config)) {
      Pg.execute(c, "select pg_advisory_lock(" + key + ")");
      try {
        return work.get();
      } finally {
        Pg.execute(c, "select pg_advisory_unlock(" + key + ")");
      }
    } catch (SQLException e) {
      throw Pg.failed("locking the " + name + " state of sync " + sync, e, config);
    }
  }
}
