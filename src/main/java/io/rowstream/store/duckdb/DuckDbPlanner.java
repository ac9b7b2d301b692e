package io.rowstream.store.duckdb;

import static io.rowstream.store.duckdb.DuckDbState.SCRATCH;
import static io.rowstream.store.duckdb.FingerprintScheme.FINGERPRINT_KEY;
import static io.rowstream.store.duckdb.FingerprintScheme.JAVA_SCHEME;

import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Staged;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.source.ModelCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBConnection;

/**
 * The planning half of {@link DuckDbState}: stages a model (row by row here, in place in {@link
 * InPlaceStaging}), compares it with the delivered state in SQL, streams the events, records a
 * baseline, and adopts the fingerprints of a new scheme. Runs on the state's planning connection,
 * whose temporary tables hold the staged model and the events.
 */
final class DuckDbPlanner {
  private final DuckDbState state;

  /** The state's planning connection: temporary tables are per connection. */
  private final DuckDBConnection connection;

  /** What the last stage call left for {@link #plan}. */
  private Staging staging;

  DuckDbPlanner(DuckDbState state, DuckDBConnection connection) {
    this.state = state;
    this.connection = connection;
  }

  /**
   * How the model was staged, in which fingerprint scheme, whether the delivered fingerprints are
   * of another scheme (then rows are compared by their text), and a query of the duplicated keys
   * and how many rows hold each (pk, n).
   */
  record Staging(
      boolean inPlace, String scheme, boolean rescan, String duplicateRows, boolean streamed) {
    Staging(boolean inPlace, String scheme, boolean rescan, String duplicateRows) {
      this(inPlace, scheme, rescan, duplicateRows, false);
    }
  }

  /**
   * Reads every row of the model into the staging table. Rows without a primary key are not staged:
   * they are counted and reported to {@code nullKey}.
   *
   * @return rows read, rows without a key
   */
  Staged stage(ModelCursor cursor, LongConsumer progress) {
    try {
      state.catalogs().dropScratch();
      boolean rescan = storedScheme().map(stored -> !stored.equals(JAVA_SCHEME)).orElse(false);
      state.execute("create or replace temp table model (pk varchar, h bigint, row varchar)");
      long[] staged =
          new StagingPipeline(connection, state::failed)
              .append(cursor, "temp", "model", null, 0, progress);
      staging =
          new Staging(
              false,
              JAVA_SCHEME,
              rescan,
              "select pk, count(*) as n from model where pk in (select pk from dup) group by pk");
      return new Staged(staged[0], staged[1], cursor.columns());
    } catch (SQLException e) {
      throw state.failed("staging the model in", e);
    }
  }

  /** Compares the staged model with the delivered state. */
  PlanCounts plan(long rowsQueried, long nullKeys) {
    if (staging == null || staging.streamed()) {
      throw new IllegalStateException("plan() before stage()");
    }
    if (staging.inPlace()) {
      // encoded holds the rows to send: keys new, or whose fingerprint moved (every key on a
      // rescan)
      boolean anyRemoved;
      try {
        anyRemoved = state.count(SCRATCH + ".cmp where mpk is null") > 0;
      } catch (SQLException e) {
        throw state.failed("planning in", e);
      }
      state.execute(
          "create or replace temp table events as "
              + "select case when e.added then 'added' else 'changed' end as op, e.pk, e.h, e.row from "
              + SCRATCH
              + ".encoded e"
              + (staging.rescan()
                  ? " left join delivered d on e.pk = d.pk where (e.added or d.row <> e.row) and"
                  : " where")
              + " e.pk not in (select pk from dup)"
              // delivered rows' text is read only for removed keys, and not at all when there are
              // none
              + (anyRemoved
                  ? " union all select 'removed', d.pk, d.h, d.row from delivered d semi join (select dpk from "
                      + SCRATCH
                      + ".cmp where mpk is null) r on d.pk = r.dpk"
                  : ""));
    } else {
      state.execute(
          "create or replace temp table dup as select pk from model group by pk having count(*) > 1");
      state.execute("create or replace temp table events as " + rowTextEvents());
    }
    long added = 0;
    long changed = 0;
    long removed = 0;
    long duplicates = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select op, count(*) from events group by op "
                    + "union all select 'dup', coalesce(sum(n), 0) from ("
                    + staging.duplicateRows()
                    + ")")) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "added" -> added = rs.getLong(2);
          case "changed" -> changed = rs.getLong(2);
          case "removed" -> removed = rs.getLong(2);
          default -> duplicates = rs.getLong(2);
        }
      }
    } catch (SQLException e) {
      throw state.failed("planning in", e);
    }
    return new PlanCounts(rowsQueried, added, changed, removed, nullKeys, duplicates);
  }

  /** The events of a model staged row by row: (op, pk, h, row). */
  private String rowTextEvents() {
    // On a rescan the delivered fingerprints are of another scheme: compare the rows' text.
    return "select 'added' as op, m.pk, m.h, m.row from model m anti join delivered d on m.pk = d.pk "
        + "where m.pk not in (select pk from dup) "
        + "union all select 'changed', m.pk, m.h, m.row from model m join delivered d on m.pk = d.pk "
        + "where "
        + (staging.rescan() ? "m.row <> d.row" : "m.h <> d.h")
        + " and m.pk not in (select pk from dup) "
        + "union all select 'removed', d.pk, d.h, d.row from delivered d anti join model m on m.pk = d.pk";
  }

  /**
   * A model staged row by row is compared as its events are read: the comparison's result streams
   * instead of being written to a table first. Duplicated keys are decided before (they need every
   * row). A model staged in place is compared whole.
   */
  StreamedPlan streamStaged(Staged staged) {
    if (staging == null || staging.inPlace() || staging.streamed()) {
      // what PlanningStore.streamStaged does by default
      return StreamedPlan.of(staged.columns(), plan(staged.rows(), staged.nullKeys()), events());
    }
    state.execute(
        "create or replace temp table dup as select pk from model group by pk having count(*) > 1");
    long duplicates;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("select coalesce(sum(n), 0) from (" + staging.duplicateRows() + ")")) {
      rs.next();
      duplicates = rs.getLong(1);
    } catch (SQLException e) {
      throw state.failed("planning in", e);
    }
    String events = "select op, pk, row, h from (" + rowTextEvents() + ")";
    staging = new Staging(false, staging.scheme(), staging.rescan(), staging.duplicateRows(), true);
    // opened at the first read: until then the connection answers duplicateKeys() and
    // adoptFingerprints(), and one result streams on a connection at a time
    return new StreamedPlan(
        staged.columns(),
        staged.rows(),
        staged.nullKeys(),
        duplicates,
        DuckDbEvents.lazily(
            () -> {
              try {
                Statement s = connection.createStatement();
                return new DuckDbEvents(s, s.executeQuery(events));
              } catch (SQLException e) {
                throw state.failed("planning in", e);
              }
            }));
  }

  /**
   * Records the planner's fingerprint scheme. When it differs from the one the delivered rows were
   * recorded in, the plan compared the rows' text instead, and the rows found unchanged take their
   * new fingerprints, in the same transaction; other rows take theirs when acknowledged. Call it
   * once per run that may change the state, after {@link #plan}.
   */
  void adoptFingerprints() {
    if (staging == null) {
      throw new IllegalStateException("adoptFingerprints() before stage()");
    }
    Optional<String> stored;
    try {
      stored = storedScheme();
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
    if (stored.isPresent() && stored.get().equals(staging.scheme())) {
      return;
    }
    List<String> statements = new ArrayList<>();
    if (staging.rescan()) {
      statements.add(
          staging.inPlace()
              ? "update delivered set h = e.h from "
                  + SCRATCH
                  + ".encoded e "
                  + "where delivered.pk = e.pk and delivered.row = e.row and e.pk not in (select pk from dup)"
              : "update delivered set h = m.h from model m where delivered.pk = m.pk and delivered.row = m.row "
                  + "and m.pk not in (select pk from dup)");
    }
    statements.add(
        "insert or replace into meta values ('"
            + FINGERPRINT_KEY
            + "', "
            + DuckDb.literal(staging.scheme())
            + ")");
    state.transaction(connection, statements);
  }

  /** The scheme the delivered fingerprints are in; none while nothing was delivered. */
  Optional<String> storedScheme() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select (select value from meta where key = '"
                    + FINGERPRINT_KEY
                    + "'), "
                    + "exists (select 1 from delivered)")) {
      rs.next();
      String stored = rs.getString(1);
      if (stored != null) {
        return Optional.of(stored);
      }
      // state written before schemes were recorded holds row-text fingerprints
      return rs.getBoolean(2) ? Optional.of(JAVA_SCHEME) : Optional.empty();
    }
  }

  /** The duplicated primary keys of the last plan, with how many rows hold each. */
  List<DuplicateKey> duplicateKeys() {
    List<DuplicateKey> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("select pk, n from (" + staging.duplicateRows() + ") order by pk")) {
      while (rs.next()) {
        rows.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
    return rows;
  }

  /** Streams the planned events; the iterator must be closed. */
  EventStream events() {
    if (staging != null && staging.streamed()) {
      throw new IllegalStateException("events() of a streamed plan: read them from the plan");
    }
    try {
      Statement s = connection.createStatement();
      ResultSet rs = s.executeQuery("select op, pk, row, h from events");
      return new DuckDbEvents(s, rs);
    } catch (SQLException e) {
      throw state.failed("reading", e);
    }
  }

  /** Initial sync {@code skip}: the model becomes the delivered state, nothing is sent. */
  void recordBaseline() {
    if (staging == null || staging.streamed()) {
      throw new IllegalStateException("recordBaseline() needs a plan compared whole");
    }
    state.transaction(
        connection,
        List.of(
            "delete from delivered where pk in (select pk from events)",
            "insert into delivered (pk, h, row, ki) select pk, h, row, "
                + DeliveredKeys.integerOf("pk")
                + " from events where op <> 'removed'"));
  }

  /**
   * A streamed plan ({@link InPlaceStream}) was opened: what {@link #duplicateKeys} and {@link
   * #adoptFingerprints} read; {@code keys} holds the duplicated keys with how many rows hold each
   * (pk, n), and rows with pk NULL (the NULL keys, the totals) that are not read here.
   */
  void streamed(String scheme, String keys) {
    staging =
        new Staging(
            true, scheme, false, "select pk, n from " + keys + " where pk is not null", true);
  }

  /** A model was staged in place ({@link InPlaceStaging}): what {@link #plan} compares. */
  void stagedInPlace(String scheme, boolean rescan, String duplicateRows) {
    staging = new Staging(true, scheme, rescan, duplicateRows);
  }
}
