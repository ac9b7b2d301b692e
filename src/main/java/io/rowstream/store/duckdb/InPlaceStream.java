package io.rowstream.store.duckdb;

import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.source.ModelCursor;
import java.nio.file.Files;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBConnection;

/**
 * Plans a DuckDB model in place and streams its events while the comparison runs, so the first
 * record goes out while the rest of the model is still being compared.
 *
 * <p>In order, on a connection of its own that sees the model's file attached read-only:
 *
 * <ol>
 *   <li>one pass over the model's key column: how many rows, which keys are NULL and which are held
 *       by more than one row, and a checksum of the keys. This decides validity before any event is
 *       handed out, so a duplicated or NULL key is never sent, even though the rows are compared as
 *       they stream.
 *   <li>one streaming query: every row of the model, fingerprinted, joined with the delivered keys
 *       and fingerprints (the hash table is built on those); the rows that are new or whose
 *       fingerprint moved come out as DuckDB finds them, and are encoded one by one as they are
 *       read.
 *   <li>once those are read: the model's keys once more, kept in a scratch table and checked
 *       against the first pass (a query that returns other rows on each read fails the run here),
 *       then the delivered keys the model no longer has, removed events rendered from their
 *       delivered rows.
 * </ol>
 *
 * <p>The delivered state is only read here: acknowledgements go to the state's other connection,
 * and are folded into the delivered rows only after the stream is closed. A model whose delivered
 * fingerprints are of another scheme (compared by the rows' text) is left to the staged in-place
 * path.
 */
final class InPlaceStream implements EventStream {
  /** The columns the streaming query adds after the model's own; a model using them is staged. */
  private static final Set<String> OWN_COLUMNS =
      Set.of("rowstream_pk", "rowstream_h", "rowstream_added");

  private final DuckDbState state;
  private final DuckDBConnection reader;
  private final String alias;
  private final int columns;
  private final String modelKeys;
  private final int perfectHashBits;
  private ModelKeys keysAgain;
  private final String removedSql;
  private ModelCursor changed;
  private ResultSet changedRows;
  private Statement removedStatement;
  private ResultSet removed;
  private PlannedEvent next;
  private boolean closed;

  /** Set once the comparison has produced its last event; read from any thread. */
  private volatile boolean compared;

  private InPlaceStream(
      DuckDbState state,
      DuckDBConnection reader,
      String alias,
      int columns,
      ModelCursor changed,
      ResultSet changedRows,
      String modelKeys,
      int perfectHashBits,
      String removedSql) {
    this.state = state;
    this.reader = reader;
    this.alias = alias;
    this.columns = columns;
    this.changed = changed;
    this.changedRows = changedRows;
    this.modelKeys = modelKeys;
    this.perfectHashBits = perfectHashBits;
    this.removedSql = removedSql;
  }

  /**
   * Plans {@code model} in place and opens its events; empty, having planned nothing and left
   * nothing attached, when it cannot be streamed (the caller then stages it).
   */
  static Optional<StreamedPlan> open(DuckDbState state, InPlaceModel model, LongConsumer progress) {
    DuckDBConnection connection = state.connection();
    String sql = DuckDb.withoutTrailingSemicolons(model.query());
    String alias = null;
    DuckDBConnection reader = null;
    boolean handedOut = false;
    try {
      state.catalogs().dropScratch();
      if (!Files.isRegularFile(model.file())) {
        return Optional.empty();
      }
      String stateCatalog = state.catalogs().currentDatabase();
      alias = state.catalogs().attachModel(model.file());
      DuckDb.execute(connection, "attach ':memory:' as " + DuckDbState.SCRATCH);
      reader = (DuckDBConnection) connection.duplicate();
      // Unqualified table names in the query resolve in the model's file, as they would there.
      DuckDb.execute(reader, "use " + DuckDb.identifier(alias));
      Optional<InPlaceSql> described = InPlaceSql.describe(reader, sql, model.primaryKey());
      if (described.isEmpty()
          || described.get().names().stream()
              .anyMatch(n -> OWN_COLUMNS.contains(n.toLowerCase(Locale.ROOT)))) {
        return Optional.empty();
      }
      InPlaceSql q = described.get();
      String scheme = state.scheme(q);
      if (state.storedScheme().map(stored -> !stored.equals(scheme)).orElse(false)) {
        return Optional.empty(); // compared by text: staged
      }
      String from = "(\n" + sql + "\n) q";
      String scratch = DuckDbState.SCRATCH;
      String delivered = DuckDb.identifier(stateCatalog) + ".main.delivered";
      String modelKeys = "select " + q.keyColumn() + " as k from " + from;
      // 1. Validity, from the key column alone: NULL keys, and keys more than one row holds; with
      // the rows' count and a checksum of the keys, which the last pass must find again.
      int bits = ModelKeys.perfectHashBits(reader, delivered);
      DuckDb.execute(reader, "set session perfect_ht_threshold = " + bits);
      DuckDb.execute(reader, ModelKeys.keyPass(modelKeys, scratch + ".dupkeys"));
      long rows;
      long nullKeys;
      long duplicates;
      try (Statement s = reader.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select (select n from "
                      + scratch
                      + ".dupkeys where total), (select coalesce(sum(n), 0) from "
                      + scratch
                      + ".dupkeys where pk is null and not total), (select coalesce(sum(n), 0) from "
                      + scratch
                      + ".dupkeys where pk is not null)")) {
        rs.next();
        rows = rs.getLong(1);
        nullKeys = rs.getLong(2);
        duplicates = rs.getLong(3);
      }
      progress.accept(rows);
      // 2. The rows to send, as the join finds them: DuckDB builds its hash table on the
      // delivered keys and fingerprints, then streams the model through it. An integer key column
      // is joined on the delivered keys' integers (DeliveredKeys), and becomes text only in the
      // rows that come out.
      boolean integers =
          DeliveredKeys.joinsAsInteger(q.types().get(q.key()))
              && DeliveredKeys.present(reader, stateCatalog);
      String changedSql =
          integers ? changedByInteger(q, from, delivered) : changedByText(q, from, delivered);
      // 3. Keys delivered before that the model no longer holds; their rows' text is read only
      // for them. The model's keys are read once more, kept, checked against the first pass and
      // compared with the delivered keys.
      String removedSql =
          "select d.pk, d.h, d.row from "
              + delivered
              + " d anti join "
              + (integers
                  ? scratch + ".modelkeys m on d.ki = m.k"
                  : "(select cast(k as varchar) as pk from "
                      + scratch
                      + ".modelkeys) m on d.pk = m.pk");
      Statement statement =
          reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      ResultSet rs;
      try {
        rs = buildingOnDelivered(connection, () -> statement.executeQuery(changedSql));
      } catch (SQLException e) {
        statement.close();
        throw e;
      }
      ModelCursor cursor =
          ModelCursor.over(model.sourceName(), rs, q.names().size(), model.primaryKey());
      state.streamed(scheme, scratch + ".dupkeys");
      handedOut = true;
      return Optional.of(
          new StreamedPlan(
              q.names(),
              rows,
              nullKeys,
              duplicates,
              new InPlaceStream(
                  state,
                  reader,
                  alias,
                  q.names().size(),
                  cursor,
                  rs,
                  modelKeys,
                  bits,
                  removedSql)));
    } catch (SQLException e) {
      return Optional.empty(); // the staged path plans it, or reports why it cannot
    } finally {
      if (!handedOut) {
        if (reader != null) {
          DuckDb.closeQuietly(reader);
        }
        state.catalogs().dropScratch();
        if (alias != null) {
          state.catalogs().detachModel(alias);
        }
      }
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

  /** The changed and added rows, joined with the delivered rows on the keys' text. */
  private static String changedByText(InPlaceSql q, String from, String delivered) {
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
   * The changed and added rows of an integer key column, joined on the delivered keys' integers;
   * the columns as {@link #changedByText} has them.
   */
  private static String changedByInteger(InPlaceSql q, String from, String delivered) {
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
        + ") d on "
        + key
        + " = d.ki where"
        + valid(key, "k")
        + " and (d.ki is null or d.h <> m.rowstream_h)";
  }

  @Override
  public boolean hasNext() {
    if (next == null && !closed) {
      try {
        next = changed != null ? nextChanged() : null;
        if (next == null) {
          next = nextRemoved();
        }
      } catch (SQLException e) {
        throw RowstreamException.fatal(
            "reading planned events failed: " + DuckDb.firstLine(e.getMessage()), e);
      }
    }
    return next != null;
  }

  private PlannedEvent nextChanged() throws SQLException {
    if (keysAgain == null) {
      // the streaming query has its hash table: the keys are read again beside its rows
      keysAgain = ModelKeys.readAgain(reader, alias, modelKeys, perfectHashBits);
    }
    if (!changed.next()) {
      changed.close();
      changed = null;
      changedRows = null;
      return null;
    }
    String key = changed.key();
    String sqlKey = changedRows.getString(columns + 1);
    if (!sqlKey.equals(key)) {
      // the key types planned in place write the same text both ways; never send a key the
      // delivered state would not find again
      throw RowstreamException.fatal(
          "planning in place: the key "
              + sqlKey
              + " reads as "
              + key
              + " through JDBC; nothing more is sent");
    }
    return new PlannedEvent(
        changedRows.getBoolean(columns + 3) ? EventType.ADDED : EventType.CHANGED,
        key,
        changed.rowJson(),
        changedRows.getLong(columns + 2));
  }

  private PlannedEvent nextRemoved() throws SQLException {
    if (removed == null) {
      if (keysAgain == null) {
        keysAgain = ModelKeys.readAgain(reader, alias, modelKeys, perfectHashBits);
      }
      keysAgain.requireSameAsFirst(reader);
      removedStatement = reader.createStatement();
      removed = removedStatement.executeQuery(removedSql);
    }
    if (!removed.next()) {
      compared = true;
      return null;
    }
    return new PlannedEvent(
        EventType.REMOVED, removed.getString(1), removed.getString(3), removed.getLong(2));
  }

  /** A query to run. */
  private interface Query {
    ResultSet run() throws SQLException;
  }

  /**
   * Runs {@code query} with the hash join's build side left where the SQL puts it: the delivered
   * keys and fingerprints (two narrow columns). Left to itself, DuckDB builds on the model's side,
   * which it estimates smaller once NULL keys are filtered out, and so holds every model row with
   * all its columns in the hash table: at 10M rows, about twice the CPU before the first row comes
   * out (BENCHMARKS.md, "Incremental run"). The switch is global to the database, so it is set on
   * {@code on} only while the query is planned (a streamed query keeps its plan), then put back.
   */
  private static ResultSet buildingOnDelivered(DuckDBConnection on, Query query)
      throws SQLException {
    String before;
    try (Statement s = on.createStatement();
        ResultSet rs = s.executeQuery("select current_setting('disabled_optimizers')")) {
      rs.next();
      before = rs.getString(1);
    }
    String disabled =
        before == null || before.isBlank()
            ? BUILD_SIDE_OPTIMIZER
            : before + "," + BUILD_SIDE_OPTIMIZER;
    DuckDb.execute(on, "set global disabled_optimizers = " + DuckDb.literal(disabled));
    try {
      return query.run();
    } finally {
      DuckDb.execute(
          on, "set global disabled_optimizers = " + DuckDb.literal(before == null ? "" : before));
    }
  }

  /** DuckDB's optimizer that puts the smaller side of a join on its build side. */
  private static final String BUILD_SIDE_OPTIMIZER = "build_side_probe_side";

  /** Whether the comparison has finished: every event was handed out. */
  boolean compared() {
    return compared;
  }

  @Override
  public PlannedEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    PlannedEvent event = next;
    next = null;
    return event;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (changed != null) {
      changed.close();
    }
    if (keysAgain != null) {
      keysAgain.cancel();
    }
    try {
      if (removedStatement != null) {
        removedStatement.close();
      }
    } catch (SQLException ignored) {
      // read-only
    }
    DuckDb.closeQuietly(reader);
    state.catalogs().dropScratch();
    state.catalogs().detachModel(alias);
  }
}
