package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of a plan inside PostgreSQL.
 *
 * <p>A model row's fingerprint is {@code hash_record_extended(row(...), seed)} (PostgreSQL 14+):
 * the columns hashed by their types' own hash functions, no text formatting. Only types whose
 * equality means "prints the same" are hashed natively; every other column (numeric, whose equality
 * ignores the scale; floats, where -0 equals 0; json, arrays, intervals, ...) is hashed as its text
 * under the session settings of {@link Pg#SESSION}. Before 14 the whole row's text is hashed with
 * {@code hashtextextended}. The seed is a hash of the query's column names and types: renaming or
 * retyping a column changes every fingerprint (each row is sent once as changed).
 *
 * <p>The plan is one set-based query: the model full-joined with the delivered keys by key text,
 * keeping only what to act on: added, changed, removed, and rows with a NULL key. Keys held by
 * several rows are found from counts (see {@link WarehouseState}), by a grouped query only when
 * there are some.
 */
record PlanSql(
    String query,
    String keyColumn,
    List<Column> columns,
    long seed,
    boolean hashRecord,
    String delivered) {
  /** The model's alias; an unlikely name, so no column of the model shadows the whole row. */
  static final String ROW = "rowstream_model_row";

  /** Types whose hash equality means equal text: hashed as they are. */
  private static final Set<String> NATIVE =
      Set.of(
          "int2",
          "int4",
          "int8",
          "text",
          "varchar",
          "bool",
          "date",
          "timestamp",
          "timestamptz",
          "uuid",
          "bytea",
          "char",
          "name",
          "oid",
          "time");

  /** A column of the query: its name and its type's name as PostgreSQL reports it. */
  record Column(String name, String type) {}

  PlanSql {
    requireNonNull(query, "query is null");
    requireNonNull(keyColumn, "keyColumn is null");
    columns = List.copyOf(columns);
    requireNonNull(delivered, "delivered is null");
    query = withoutTrailingSemicolons(query);
  }

  /** The query as a subquery takes it: without the semicolons that may end a statement. */
  static String withoutTrailingSemicolons(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return q;
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
    if (!hashRecord) {
      return "hashtextextended((" + ROW + ".*)::text, " + seed + ")";
    }
    StringBuilder row = new StringBuilder("hash_record_extended(row(");
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      row.append(c == 0 ? "" : ", ")
          .append(ROW)
          .append('.')
          .append(PlannerTables.quote(column.name()));
      if (!NATIVE.contains(column.type().toLowerCase(Locale.ROOT))) {
        row.append("::text");
      }
    }
    return row.append("), ").append(seed).append(")::bigint").toString();
  }

  /** Keys to act on: k, fp (model), dfp (delivered), op; one row per model row (or removed key). */
  String diff() {
    return "select coalesce(m.k, d.k) as k, m.fp, d.fp as dfp, case"
        + " when m.present is null then 'removed' when m.k is null then 'null'"
        + " when d.k is null then 'added' else 'changed' end as op, 1::bigint as n"
        + " from (select "
        + key()
        + " as k, "
        + fingerprint()
        + " as fp, true as present from "
        + model()
        + ") m full join "
        + delivered
        + " d on d.k = m.k"
        + " where m.present is null or m.k is null or d.k is null or m.fp <> d.fp";
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
  static String withDuplicates(String diff, String duplicates) {
    return "(select * from "
        + diff
        + " p where p.k is null or p.k not in (select k from "
        + duplicates
        + " x) union all select k, null::bigint, null::bigint, 'dup', n from "
        + duplicates
        + " x)";
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
