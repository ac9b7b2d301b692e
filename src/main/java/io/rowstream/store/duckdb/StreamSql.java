package io.rowstream.store.duckdb;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import org.duckdb.DuckDBConnection;

/**
 * The SQL of a plan streamed in place ({@link InPlaceStream}): the rows to send, as the join of the
 * model ({@code from}, aliased q) with the {@code delivered} keys and fingerprints finds them, and
 * the keys delivered before that the model no longer holds. Their columns: the model's, then
 * rowstream_pk (the key as text), rowstream_h (the fingerprint), rowstream_added.
 *
 * <p>An integer key column is joined on the delivered keys' integers ({@link DeliveredKeys}), and
 * becomes text only in the rows that come out; any other by the keys' text. The rows of an integer
 * key column can also be asked for by a range of keys: on a model stored in key order (as tables
 * filled by an increasing id are), DuckDB then reads only the range's part of it, and its hash
 * table holds only the range's delivered keys.
 */
record StreamSql(InPlaceSql q, String from, String delivered, boolean integers) {
  /** Every row to send. */
  String changed() {
    return integers ? changedByInteger("") : changedByText();
  }

  /** The rows to send whose key is below {@code split}; integer keys only. */
  String changedBelow(long split) {
    return changedByInteger(" < " + split);
  }

  /** The rows to send whose key is {@code split} or above; integer keys only. */
  String changedFrom(long split) {
    return changedByInteger(" >= " + split);
  }

  /**
   * The delivered keys the model no longer holds, with their last row and fingerprint (pk, h, row):
   * those not among the model's keys read again into {@code modelKeys} (k).
   */
  String removed(String modelKeys) {
    return "select d.pk, d.h, d.row from "
        + delivered
        + " d anti join "
        + (integers
            ? modelKeys + " m on d.ki = m.k"
            : "(select cast(k as varchar) as pk from " + modelKeys + ") m on d.pk = m.pk");
  }

  /**
   * The key below which about an eighth of the delivered integer keys lie, when the keys delivered
   * span more than one value: the first range to send, whose hash table is built in an eighth of
   * the time the whole takes.
   */
  OptionalLong firstEighth(DuckDBConnection on) throws SQLException {
    try (Statement s = on.createStatement();
        ResultSet rs =
            s.executeQuery("select min(ki), max(ki) from " + delivered + " where ki is not null")) {
      rs.next();
      long min = rs.getLong(1);
      if (rs.wasNull()) {
        return OptionalLong.empty();
      }
      long max = rs.getLong(2);
      if (max <= min) {
        return OptionalLong.empty();
      }
      // min < split <= max, without overflow for keys that span the whole of bigint
      BigInteger span = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min));
      return OptionalLong.of(
          BigInteger.valueOf(min).add(span.shiftRight(3)).add(BigInteger.ONE).longValueExact());
    }
  }

  /** Keys valid to send: not NULL, and held by one row ({@code key} the model's key expression). */
  private static String valid(String key, String keysColumn) {
    return " "
        + key
        + " is not null and "
        + key
        + " not in (select "
        + keysColumn
        + " from "
        + DuckDbState.SCRATCH
        + ".dupkeys where pk is not null and not total)";
  }

  /** The rows to send, joined with the delivered rows on the keys' text. */
  private String changedByText() {
    return "select m.*, d.pk is null as rowstream_added from (select q.*, "
        + q.keyText()
        + " as rowstream_pk, "
        + q.hash()
        + " as rowstream_h from "
        + from
        + ") m left join (select pk, h from "
        + delivered
        + ") d on m.rowstream_pk = d.pk where"
        + valid("m.rowstream_pk", "pk")
        + " and (d.pk is null or d.h <> m.rowstream_h)";
  }

  /**
   * The rows to send of an integer key column, joined on the delivered keys' integers; those whose
   * key is {@code range} (say {@code < 42}) when it is not empty.
   */
  private String changedByInteger(String range) {
    String key = "m." + DuckDb.identifier(q.names().get(q.key()));
    return "select m.* exclude (rowstream_h), cast("
        + key
        + " as varchar) as rowstream_pk, m.rowstream_h, d.ki is null as rowstream_added"
        + " from (select q.*, "
        + q.hash()
        + " as rowstream_h from "
        + from
        + ") m left join (select ki, h from "
        + delivered
        + (range.isEmpty() ? "" : " where ki" + range)
        + ") d on "
        + key
        + " = d.ki where"
        + valid(key, "k")
        + (range.isEmpty() ? "" : " and " + key + range)
        + " and (d.ki is null or d.h <> m.rowstream_h)";
  }
}
