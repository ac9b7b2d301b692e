package io.rowstream.store.warehouse;

import io.rowstream.state.SyncIdentity;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A sync's meta table, in either dialect: key/value pairs (the identity, whether the sync is
 * initialized, the fingerprint scheme). Writes are not synchronized here: the state that owns this
 * holds its lock around them, as around everything else done on the writer's session.
 */
final class StateMeta {
  private final StateSessions sessions;
  private final WarehouseErrors errors;
  private final boolean tablesExist;

  /** Selects the value of the key bound as the one parameter. */
  private final String select;

  /** Inserts or replaces the pair bound as key, value. */
  private final String upsert;

  private StateMeta(
      StateSessions sessions,
      WarehouseErrors errors,
      boolean tablesExist,
      String select,
      String upsert) {
    this.sessions = sessions;
    this.errors = errors;
    this.tablesExist = tablesExist;
    this.select = select;
    this.upsert = upsert;
  }

  static StateMeta postgres(
      StateSessions sessions, WarehouseErrors errors, boolean tablesExist, PlannerTables tables) {
    return new StateMeta(
        sessions,
        errors,
        tablesExist,
        "select value from " + tables.meta() + " where key = ?",
        PgDeliveredRows.upsertMeta(tables));
  }

  static StateMeta maria(
      StateSessions sessions, WarehouseErrors errors, boolean tablesExist, MariaTables tables) {
    return new StateMeta(
        sessions,
        errors,
        tablesExist,
        "select value from " + tables.meta() + " where `key` = ?",
        "insert into "
            + tables.meta()
            + " (`key`, value) values (?, ?) on duplicate key update value = values(value)");
  }

  Optional<String> read(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s = sessions.readConnection().prepareStatement(select)) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw errors.failed("reading", e);
    } finally {
      sessions.endRead();
    }
  }

  void write(String key, String value) {
    sessions.requireWritable();
    try (PreparedStatement s = sessions.writer().prepareStatement(upsert)) {
      s.setString(1, key);
      s.setString(2, value);
      s.executeUpdate();
    } catch (SQLException e) {
      throw errors.failed("updating", e);
    }
  }

  Optional<SyncIdentity> identity() {
    Optional<String> stream = read("stream");
    Optional<String> key = read("primary_key");
    return stream.isPresent() && key.isPresent()
        ? Optional.of(new SyncIdentity(stream.get(), key.get()))
        : Optional.empty();
  }
}
