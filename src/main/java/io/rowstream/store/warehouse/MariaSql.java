package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * The SQL of a plan inside MariaDB (or MySQL).
 *
 * <p>A model row's fingerprint is the first 60 bits of {@code MD5(CONCAT_WS(',', seed, QUOTE(c1),
 * QUOTE(c2), ...))}: QUOTE prints NULL as the bare word and every value as an escaped string
 * literal, so the text is one-to-one with the values. Values print under the session of {@link
 * MariaDb#SESSION} (TIMESTAMP in UTC); doubles print exactly, FLOAT columns are widened to double
 * first (a float prints with 6 digits). The seed is a hash of the query's column names and types,
 * as for PostgreSQL.
 *
 * <p>MariaDB has no FULL OUTER JOIN: the plan is a LEFT JOIN of the model to the delivered keys
 * (added, changed, NULL keys) UNION ALL an anti join of the delivered keys to the model's keys
 * (removed: NOT IN over the model's non-NULL keys, which MariaDB materializes into a hashed
 * temporary table); its columns are those of {@link PlanSql#diff}. Keys are compared as utf8mb4
 * text in the binary no-pad collation, so 'a' and 'a ' and 'A' are three keys.
 */
record MariaSql(
    String query, String keyColumn, List<PlanSql.Column> columns, long seed, String delivered) {
  /** The model's alias; an unlikely name, so no column of the model shadows it. */
  static final String ROW = "rowstream_model_row";

  /** The collation of keys, in the delivered table and in the plan. */
  static final String KEY_COLLATION = "utf8mb4_nopad_bin";

  /** The delivered table of a sync that never ran, for a dry run that may create nothing. */
  static final String NOTHING_DELIVERED =
      "(select cast(null as char character set utf8mb4) collate "
          + KEY_COLLATION
          + " as k, cast(null as signed) as fp, cast(null as char character set utf8mb4) as `row`"
          + " from dual where false)";

  MariaSql {
    requireNonNull(query, "query is null");
    requireNonNull(keyColumn, "keyColumn is null");
    columns = List.copyOf(columns);
    requireNonNull(delivered, "delivered is null");
    query = PlanSql.withoutTrailingSemicolons(query);
  }

  String model() {
    return "(" + query + "\n) " + ROW;
  }

  /** The model's key as text in the keys' collation. */
  String key() {
    return "(convert("
        + ROW
        + "."
        + MariaDb.quote(keyColumn)
        + " using utf8mb4) collate "
        + KEY_COLLATION
        + ")";
  }

  String fingerprint() {
    StringBuilder text = new StringBuilder("concat_ws(','").append(", '").append(seed).append("'");
    for (PlanSql.Column column : columns) {
      String value = ROW + "." + MariaDb.quote(column.name());
      if (column.type().toLowerCase(Locale.ROOT).startsWith("float")) {
        value = "cast(" + value + " as double)";
      }
      text.append(", quote(").append(value).append(")");
    }
    return "cast(conv(left(md5(" + text + ")), 15), 16, 10) as signed)";
  }

  /** The model's columns as the plan selects them from {@code alias}, each followed by ", ". */
  private String modelColumns(String alias) {
    StringBuilder select = new StringBuilder();
    for (PlanSql.Column column : columns) {
      select.append(alias).append('.').append(MariaDb.quote(column.name())).append(", ");
    }
    return select.toString();
  }

  /** A NULL for each of the model's columns, each followed by ", ". */
  private String nulls() {
    return "null, ".repeat(columns.size());
  }

  /**
   * What to act on: the columns of {@link PlanSql#diff} (the model's, then rowstream_k,
   * rowstream_fp, rowstream_dfp, rowstream_op, rowstream_n).
   */
  String diff() {
    return "select "
        + modelColumns("m")
        + "m.rowstream_k, m.rowstream_fp, d.fp as rowstream_dfp,"
        + " case when m.rowstream_k is null then 'null'"
        + " when d.k is null then 'added' else 'changed' end as rowstream_op,"
        + " cast(1 as signed) as rowstream_n from (select "
        + ROW
        + ".*, "
        + key()
        + " as rowstream_k, "
        + fingerprint()
        + " as rowstream_fp from "
        + model()
        + ") m left join "
        + delivered
        + " d on d.k = m.rowstream_k where m.rowstream_k is null or d.k is null"
        + " or m.rowstream_fp <> d.fp"
        + " union all select "
        + nulls()
        + "d.k, null, d.fp, 'removed', 1 from "
        + delivered
        + " d where d.k not in (select "
        + key()
        + " from "
        + model()
        + " where "
        + key()
        + " is not null)";
  }

  /** How many rows the model has. */
  String rowCount() {
    return "select count(*) from " + model();
  }

  /** Keys held by several rows of the model, with how many (k, n). */
  String duplicates() {
    return "select "
        + key()
        + " as k, count(*) as n from "
        + model()
        + " where "
        + key()
        + " is not null group by 1 having count(*) > 1";
  }

  /** {@code diff} without the duplicated keys' rows, and one 'dup' row per duplicated key. */
  String withDuplicates(String diff, String duplicates) {
    return "(select * from "
        + diff
        + " p where p.rowstream_k is null or p.rowstream_k not in (select k from "
        + duplicates
        + " x) union all select "
        + nulls()
        + "k, null, null, 'dup', n from "
        + duplicates
        + " x)";
  }

  /** The model's rows to send, as planned: the model's columns, then rowstream_op, _k, _fp. */
  String rowsToSend(String plan) {
    return "select "
        + modelColumns("p")
        + "p.rowstream_op, p.rowstream_k, p.rowstream_fp from "
        + plan
        + " p where p.rowstream_op in ('added', 'changed')";
  }

  /** The removed keys with their last delivered row and fingerprint. */
  String removed(String plan) {
    return "select p.rowstream_k, d.`row`, d.fp from "
        + plan
        + " p join "
        + delivered
        + " d on d.k = p.rowstream_k where p.rowstream_op = 'removed'";
  }
}
