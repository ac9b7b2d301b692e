package io.rowstream.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Whether a sync's lease (its session advisory lock) is held by any session, from pg_locks. */
final class PgLeases {
  private PgLeases() {}

  static boolean held(Connection on, String schema, String sync) throws SQLException {
    long key = Pg.leaseKey(schema, sync);
    // a bigint advisory key shows in pg_locks as classid (high half) and objid (low half)
    try (PreparedStatement s =
        on.prepareStatement(
            "select exists (select 1 from pg_locks where locktype = 'advisory' and granted"
                + " and objsubid = 1 and database = (select oid from pg_database"
                + " where datname = current_database())"
                + " and classid::bigint = ? and objid::bigint = ?)")) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffffffffL);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
