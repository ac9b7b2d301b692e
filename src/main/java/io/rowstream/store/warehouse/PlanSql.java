package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.plan.RowHash;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of a plan inside PostgreSQL.
 *
 * <p>A model row's fingerprint is the XOR of one 64-bit hash per column, each with a seed of its
 * own (so equal values in two columns, or two columns swapping values, still change it): the
 * column's own extended hash function (PostgreSQL 11+) for types whose equality means "prints the
 * same" (integers, text under the "C" collation, booleans, timestamps, times, uuid); numeric by its
 * value and its scale (numeric equality ignores the scale, its text does not); dates, timestamps
 * with time zone and bytea, which have no hash function callable by their own type, through {@code
 * hash_record_extended(row(column), seed)} (14+, else their text); every other column (floats,
 * where -0 equals 0; json, arrays, intervals, ...) by its text under the session settings of {@link
 * Pg#SESSION}. A NULL column hashes to a constant of its own. Hashing column by column costs about
 * half of {@code hash_record_extended} over the whole row, which builds a composite value per row
 * (measured: BENCHMARKS.md, "Planning in the warehouse"). Before 14 the whole row's text is hashed
 * with {@code hashtextextended}. The seed is a hash of the query's column names and types: renaming
 * or retyping a column changes every fingerprint (each row is sent once as changed).
 *
 * <p>The plan is one set-based query: the model full-joined with the delivered keys, keeping only
 * what to act on: added, changed, removed, and rows with a NULL key. An integer key column is
 * joined as an integer with {@code SYNC_delivered.ki} (see {@link Schema#INTEGER_KEY_OF_K}), which
 * holds the integer of each key whose text an integer prints as: no key of the model is turned into
 * text unless it is to be acted on, and the hash join hashes and compares integers. Any other key
 * is joined by its text. Keys held by several rows are found from counts (see {@link
 * WarehouseState}), by a grouped query only when there are some.
 */
record PlanSql(
    String query,
    String keyColumn,
    List<Column> columns,
    long seed,
    boolean hashRecord,
    String delivered,
    boolean integerKeys) {
  /** The model's alias; an unlikely name, so no column of the model shadows the whole row. */
  static final String ROW = "rowstream_model_row";

  /**
   * Types whose equality means equal text, with the extended hash function that takes them (the
   * column is the first argument, as {@code %s}).
   */
  private static final Map<String, String> NATIVE =
      Map.ofEntries(
          Map.entry("int2", "hashint2extended(%s"),
          Map.entry("int4", "hashint4extended(%s"),
          Map.entry("int8", "hashint8extended(%s"),
          Map.entry("oid", "hashoidextended(%s"),
          Map.entry("text", "hashtextextended((%s) collate \"C\""),
          Map.entry("varchar", "hashtextextended((%s)::text collate \"C\""),
          Map.entry("name", "hashnameextended(%s"),
          Map.entry("char", "hashcharextended(%s"),
          Map.entry("bool", "hashint4extended((%s)::int4"),
          Map.entry("time", "time_hash_extended(%s"),
          Map.entry("timestamp", "timestamp_hash_extended(%s"),
          Map.entry("uuid", "uuid_hash_extended(%s"));

  /**
   * Types whose equality means equal text but that no hash function takes as they are: hashed as a
   * one-column record where {@code hash_record_extended} exists, else by their text.
   */
  private static final Set<String> AS_RECORD = Set.of("date", "timestamptz", "bytea");

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
      "(select null::text as k, null::bigint as fp, null::text as row, null::bigint as ki"
          + " where false)";

  /** Key column types joined as integers when {@code SYNC_delivered} has {@code ki}. */
  static final Set<String> INTEGER_TYPES = Set.of("int2", "int4", "int8");

  String model() {
    return "(" + query + "\n) " + ROW;
  }

  String key() {
    return "(" + ROW + "." + PlannerTables.quote(keyColumn) + ")::text";
  }

  /** The key column of the diff's model side ({@code m}), as the model has it. */
  private String modelKey() {
    return "m." + PlannerTables.quote(keyColumn);
  }

  String fingerprint() {
    if (!hashRecord) {
      return "hashtextextended((" + ROW + ".*)::text, " + seed + ")";
    }
    StringBuilder fp = new StringBuilder("(");
    for (int c = 0; c < columns.size(); c++) {
      fp.append(c == 0 ? "" : " # ").append(columnHash(c));
    }
    return fp.append(")").toString();
  }

  /** Column {@code c}'s hash, never NULL: a NULL hashes to a constant of the column's own. */
  private String columnHash(int c) {
    Column column = columns.get(c);
    String value = ROW + "." + PlannerTables.quote(column.name());
    String type = column.type().toLowerCase(Locale.ROOT);
    String hash;
    if (NATIVE.containsKey(type)) {
      hash = NATIVE.get(type).formatted(value) + ", " + seed(c, "value") + ")";
    } else if (type.equals("numeric")) {
      // scale() is NULL for NaN and the infinities, whose hashes are their own already
      hash =
          "hash_numeric_extended("
              + value
              + ", "
              + seed(c, "value")
              + ") # coalesce(hashint4extended(scale("
              + value
              + "), "
              + seed(c, "scale")
              + "), "
              + seed(c, "no scale")
              + ")";
    } else if (AS_RECORD.contains(type)) {
      // row(NULL) is a record, not NULL: its hash is as constant as any other NULL's
      hash = "hash_record_extended(row(" + value + "), " + seed(c, "value") + ")";
    } else {
      hash = "hashtextextended((" + value + ")::text collate \"C\", " + seed(c, "value") + ")";
    }
    return "coalesce(" + hash + ", " + seed(c, "null") + ")";
  }

  /** A seed of column {@code c}'s own for {@code what}, derived from the query's seed. */
  private long seed(int c, String what) {
    return RowHash.of(seed + "/" + c + "/" + what);
  }

  /**
   * What to act on, one row per added or changed model row (with all its columns, so the rows to
   * send are not read again), per model row with a NULL key and per removed key: the model's
   * columns, then rowstream_k, rowstream_fp, rowstream_dfp (delivered), rowstream_op, rowstream_n.
   */
  String diff() {
    StringBuilder select = new StringBuilder("select ");
    for (Column column : columns) {
      select.append("m.").append(PlannerTables.quote(column.name())).append(", ");
    }
    // with integer keys the model's key becomes text only in the rows kept (the select list is
    // evaluated after the join's filter); the filter asks whether the typed key is NULL
    String key = integerKeys ? modelKey() + "::text" : "m.rowstream_k";
    String nullKey = integerKeys ? modelKey() : "m.rowstream_k";
    String join = integerKeys ? "d.ki = " + modelKey() + "::int8" : "d.k = m.rowstream_k";
    return select
        + "coalesce("
        + key
        + ", d.k) as rowstream_k, m.rowstream_fp, d.fp as rowstream_dfp,"
        + " case when m.rowstream_present is null then 'removed'"
        + " when "
        + nullKey
        + " is null then 'null'"
        + " when d.k is null then 'added' else 'changed' end as rowstream_op,"
        + " 1::bigint as rowstream_n from (select "
        + ROW
        + ".*, "
        + (integerKeys ? "" : key() + " as rowstream_k, ")
        + fingerprint()
        + " as rowstream_fp, true as rowstream_present from "
        + model()
        + ") m full join (select k, fp"
        + (integerKeys ? ", ki" : "")
        + " from "
        + delivered
        + " d) d on "
        + join
        + " where m.rowstream_present is null or "
        + nullKey
        + " is null or d.k is null or m.rowstream_fp <> d.fp";
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
    StringBuilder nulls = new StringBuilder();
    for (Column column : columns) {
      nulls.append("null, ");
    }
    return "(select * from "
        + diff
        + " p where p.rowstream_k is null or p.rowstream_k not in (select k from "
        + duplicates
        + " x) union all select "
        + nulls
        + "k, null::bigint, null::bigint, 'dup', n from "
        + duplicates
        + " x)";
  }

  /** The model's rows to send, as planned: the model's columns, then rowstream_op, _k, _fp. */
  String rowsToSend(String plan) {
    StringBuilder select = new StringBuilder("select ");
    for (Column column : columns) {
      select.append("p.").append(PlannerTables.quote(column.name())).append(", ");
    }
    return select
        + "p.rowstream_op, p.rowstream_k, p.rowstream_fp from "
        + plan
        + " p where p.rowstream_op in ('added', 'changed')";
  }

  /** The removed keys with their last delivered row and fingerprint. */
  String removed(String plan) {
    return "select p.rowstream_k, d.row, d.fp from "
        + plan
        + " p join "
        + delivered
        + " d on d.k = p.rowstream_k where p.rowstream_op = 'removed'";
  }
}
