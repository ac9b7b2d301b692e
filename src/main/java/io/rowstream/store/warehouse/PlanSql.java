package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

/**
 * The SQL of a plan inside PostgreSQL. A model row's fingerprint is {@code
 * hashtextextended(row::text, seed)}: the row's canonical text (PostgreSQL's record output, under
 * the session settings of {@link Pg#SESSION}) hashed to 64 bits by the function hash partitioning
 * relies on, so it is stable across PostgreSQL versions. The seed is a hash of the query's column
 * names and types: renaming or retyping a column changes every fingerprint (each row is sent once
 * as changed, since its record may read differently).
 *
 * <p>The plan is one set-based query: the model grouped by key (count, fingerprint) full-joined
 * with the delivered keys; only keys to act on are kept (added, changed, removed, a NULL key, a key
 * held by several rows).
 */
record PlanSql(String query, String keyColumn, long seed, String delivered) {
  /** The model's alias; an unlikely name, so no column of the model shadows the whole row. */
  static final String ROW = "rowstream_model_row";

  PlanSql {
    requireNonNull(query, "query is null");
    requireNonNull(keyColumn, "keyColumn is null");
    requireNonNull(delivered, "delivered is null");
  }

  /** The delivered table of a sync that never ran, for a dry run that may create nothing. */
  static final String NOTHING_DELIVERED =
      "(select null::text as k, null::bigint as fp, null::text as row where false)";

  String model() {
    return "(" + query + "\n) " + ROW;
  }

  String key() {
    return "(" + ROW + "." + PlannerTables.quote(keyColumn) + ")::text";
  }

  String fingerprint() {
    return "hashtextextended((" + ROW + ".*)::text, " + seed + ")";
  }

  /** The query's columns, without running it. */
  String columns() {
    return "select * from " + model() + " limit 0";
  }

  /** Keys to act on: k, n (rows of the model holding it), fp, dfp (delivered), op. */
  String plan() {
    return "select coalesce(g.k, d.k) as k, g.n, g.fp, d.fp as dfp, case"
        + " when g.n is null then 'removed' when g.k is null then 'null'"
        + " when g.n > 1 then 'dup' when d.k is null then 'added' else 'changed' end as op"
        + " from (select k, count(*) as n, min(fp) as fp from (select "
        + key()
        + " as k, "
        + fingerprint()
        + " as fp from "
        + model()
        + ") keyed group by k) g full join "
        + delivered
        + " d on d.k = g.k"
        + " where g.n is null or g.k is null or g.n > 1 or d.k is null or g.fp <> d.fp";
  }

  /**
   * The model's rows to send, read again: the model's columns, then op, key and fingerprint. A row
   * that changed since the plan is sent with its new values and fingerprint.
   */
  String rowsToSend(String plan) {
    return "select "
        + ROW
        + ".*, p.op, p.k, "
        + fingerprint()
        + " from "
        + model()
        + " join "
        + plan
        + " p on p.k = "
        + key()
        + " where p.op in ('added', 'changed')";
  }

  /** The removed keys with their last delivered row and fingerprint. */
  String removed(String plan) {
    return "select p.k, d.row, d.fp from "
        + plan
        + " p join "
        + delivered
        + " d on d.k = p.k where p.op = 'removed'";
  }
}
