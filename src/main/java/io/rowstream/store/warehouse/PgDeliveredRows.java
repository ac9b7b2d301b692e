package io.rowstream.store.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How many rows a PostgreSQL state's {@code SYNC_delivered} holds, kept in meta by every write to
 * it in its own transaction: the plan needs the count, and counting would read the whole table.
 */
record PgDeliveredRows(PlannerTables tables) {
  /** The meta key of the count. */
  private static final String DELIVERED_ROWS = "delivered_rows";

  static String upsertMeta(PlannerTables tables) {
    return "insert into "
        + tables.meta()
        + " (key, value) values (?, ?) on conflict (key) do update set value = excluded.value";
  }

  /**
   * The count as of {@code c}'s snapshot: from meta, or counted once for a state that has not
   * recorded it yet.
   */
  long of(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select value from " + tables.meta() + " where key = ?")) {
      s.setString(1, DELIVERED_ROWS);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next() && rs.getString(1) != null) {
          return Long.parseLong(rs.getString(1));
        }
      }
    }
    return Jdbc.longOf(c, "select count(*) from " + tables.delivered());
  }

  /** Records the count, in {@code c}'s open transaction. */
  void set(Connection c, long rows) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(upsertMeta(tables))) {
      s.setString(1, DELIVERED_ROWS);
      s.setString(2, Long.toString(rows));
      s.executeUpdate();
    }
  }
}
