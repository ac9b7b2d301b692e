package io.rowstream.store.warehouse;

import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.PlanCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads of a plan that both dialects share: the plan is a table (or a dry run's subquery) of
 * {@code rowstream_k, rowstream_op, rowstream_n}, one row a key to act on, and one 'dup' row a key
 * held by several model rows.
 */
final class PlanReads {
  private PlanReads() {}

  /** Rows of the plan: added, changed, removed, NULL keys, rows of duplicated keys. */
  static long[] countByOp(Connection planner, String plan) throws SQLException {
    long[] byOp = new long[5];
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_op, count(*), coalesce(sum(rowstream_n), 0) from "
                    + plan
                    + " p group by rowstream_op");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "added" -> byOp[0] = rs.getLong(2);
          case "changed" -> byOp[1] = rs.getLong(2);
          case "removed" -> byOp[2] = rs.getLong(2);
          case "null" -> byOp[3] = rs.getLong(2);
          default -> byOp[4] = rs.getLong(3);
        }
      }
    }
    return byOp;
  }

  /**
   * Whether some key may be held by several rows, so that the grouped query that finds them must
   * run. Every model row is added (key not delivered), a NULL key, or matched to a delivered key;
   * when more rows matched than delivered keys were, or a key was added or changed twice, some key
   * is held by several rows.
   */
  static boolean mayHoldDuplicates(
      Connection planner, String plan, long rows, long deliveredRows, long[] byOp)
      throws SQLException {
    long added = byOp[0];
    long removed = byOp[2];
    long nullKeys = byOp[3];
    boolean repeated =
        Jdbc.exists(
            planner,
            "select exists (select 1 from "
                + plan
                + " p where rowstream_op in ('added', 'changed') group by rowstream_k"
                + " having count(*) > 1)");
    long matched = rows - added - nullKeys;
    return repeated || matched > deliveredRows - removed;
  }

  static PlanCounts counts(long rows, long[] byOp) {
    return new PlanCounts(rows, byOp[0], byOp[1], byOp[2], byOp[3], byOp[4]);
  }

  /** The keys held by several rows, in key order, with how many rows hold each. */
  static List<DuplicateKey> duplicateKeys(Connection planner, String plan) throws SQLException {
    List<DuplicateKey> keys = new ArrayList<>();
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_k, rowstream_n from "
                    + plan
                    + " p where rowstream_op = 'dup' order by rowstream_k");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        keys.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
    }
    return keys;
  }
}
