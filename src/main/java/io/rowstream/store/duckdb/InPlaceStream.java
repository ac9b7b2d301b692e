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
import java.util.OptionalLong;
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

  /** The rows of the keys after the first eighth, while their hash table is built; or null. */
  private PendingRows rest;

  /** Whether the first eighth of the keys is streamed before the rest. */
  private final boolean inTwo;

  /** The rest once it is being read: its connection is closed with the stream. */
  private PendingRows reading;

  private final InPlaceModel model;
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
      PendingRows rest,
      InPlaceModel model,
      String modelKeys,
      int perfectHashBits,
      String removedSql) {
    this.state = state;
    this.reader = reader;
    this.alias = alias;
    this.columns = columns;
    this.changed = changed;
    this.changedRows = changedRows;
    this.rest = rest;
    this.inTwo = rest != null;
    this.model = model;
    this.modelKeys = modelKeys;
    this.perfectHashBits = perfectHashBits;
    this.removedSql = removedSql;
  }

  /**
   * Plans {@code model} in place and opens its events; empty, having planned nothing and left
   * nothing attached, when it cannot be streamed (the caller then stages it).
   */
  static Optional<StreamedPlan> open(DuckDbState state, InPlaceModel model, LongConsumer progress) {
    return open(state, model, progress, SPLIT_FROM);
  }

  /**
   * How many keys must have been delivered before the first eighth of the keys is streamed first:
   * below it the whole hash table is built in well under 0.1 s.
   */
  static final long SPLIT_FROM = 1_000_000;

  /**
   * As {@link #open(DuckDbState, InPlaceModel, LongConsumer)}, splitting from {@code splitFrom}.
   */
  static Optional<StreamedPlan> open(
      DuckDbState state, InPlaceModel model, LongConsumer progress, long splitFrom) {
    DuckDBConnection connection = state.connection();
    String sql = DuckDb.withoutTrailingSemicolons(model.query());
    String alias = null;
    DuckDBConnection reader = null;
    PendingRows rest = null;
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
      long deliveredKeys = state.count(delivered);
      int bits = ModelKeys.perfectHashBits(deliveredKeys);
      DuckDb.execute(reader, "set session perfect_ht_threshold = " + bits);
      ModelKeys.firstPass(reader, modelKeys, scratch + ".dupkeys", !state.readOnly());
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
      StreamSql streamSql = new StreamSql(q, from, delivered, integers);
      // 3. Keys delivered before that the model no longer holds; their rows' text is read only
      // for them. The model's keys are read once more, kept, checked against the first pass and
      // compared with the delivered keys.
      String removedSql = streamSql.removed(scratch + ".modelkeys");
      // With many integer keys, the first eighth of the keys is streamed first: its hash table is
      // built in an eighth of the time, and the rest's is built while its rows are sent.
      OptionalLong split =
          integers && deliveredKeys >= splitFrom
              ? streamSql.firstEighth(reader)
              : OptionalLong.empty();
      String changedSql =
          split.isPresent() ? streamSql.changedBelow(split.getAsLong()) : streamSql.changed();
      Statement statement =
          reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      ResultSet rs;
      try {
        rs = BuildSide.onDelivered(connection, () -> statement.executeQuery(changedSql));
      } catch (SQLException e) {
        statement.close();
        throw e;
      }
      if (split.isPresent()) {
        try {
          rest = PendingRows.start(reader, alias, streamSql.changedFrom(split.getAsLong()));
        } catch (SQLException e) {
          statement.close();
          throw e;
        }
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
                  rest,
                  model,
                  modelKeys,
                  bits,
                  removedSql)));
    } catch (SQLException e) {
      return Optional.empty(); // the staged path plans it, or reports why it cannot
    } finally {
      if (!handedOut) {
        if (rest != null) {
          rest.close();
        }
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
    if (keysAgain == null && rest == null) {
      // the last streaming query has its hash table: the keys are read again beside its rows
      keysAgain = ModelKeys.readAgain(reader, alias, modelKeys, perfectHashBits);
    }
    while (!changed.next()) {
      changed.close();
      changed = null;
      changedRows = null;
      if (rest == null) {
        return null;
      }
      // the first eighth of the keys is read: on to the rest, whose hash table is built by now,
      // or soon
      reading = rest;
      rest = null;
      changedRows = reading.await();
      changed = ModelCursor.over(model.sourceName(), changedRows, columns, model.primaryKey());
      if (keysAgain == null) {
        keysAgain = ModelKeys.readAgain(reader, alias, modelKeys, perfectHashBits);
      }
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

  /** Whether the first eighth of the keys is streamed before the rest. */
  boolean inTwo() {
    return inTwo;
  }

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
    if (rest != null) {
      rest.close();
    }
    if (reading != null) {
      reading.close();
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
