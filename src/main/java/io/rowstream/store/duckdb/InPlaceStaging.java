package io.rowstream.store.duckdb;

import static io.rowstream.store.duckdb.DuckDbState.SCRATCH;
import static io.rowstream.store.duckdb.FingerprintScheme.DUCKDB_SCHEME;
import static java.util.Objects.requireNonNull;

import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.Staged;
import io.rowstream.source.ModelCursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBConnection;

/**
 * Stages a DuckDB model file in place for {@link DuckDbPlanner}: fingerprints every row in SQL and
 * reads and encodes only the rows to send. {@link InPlaceStream} streams such a plan instead.
 */
final class InPlaceStaging {
  private final DuckDbState state;
  private final DuckDbPlanner planner;

  /** The state's planning connection. */
  private final DuckDBConnection connection;

  InPlaceStaging(DuckDbState state, DuckDbPlanner planner, DuckDBConnection connection) {
    this.state = state;
    this.planner = planner;
    this.connection = connection;
  }

  /**
   * Stages a DuckDB model in place: attaches its file read-only, fingerprints every row in SQL,
   * compares the fingerprints with the delivered state, and reads and encodes through {@code
   * ModelCursor} only the rows that need their values: added and changed ones (every row on a first
   * run or when the fingerprint scheme changed). Empty, having staged nothing, when the model
   * cannot be planned in place (the caller then uses {@link DuckDbPlanner#stage}); a query that
   * fails here is left to that path to report.
   */
  Optional<Staged> stage(InPlaceModel model, LongConsumer progress) {
    requireNonNull(model, "model is null");
    String sourceName = model.sourceName();
    Path file = model.file();
    String primaryKey = model.primaryKey();
    String sql = DuckDb.withoutTrailingSemicolons(model.query());
    String alias = null;
    try {
      state.catalogs().dropScratch();
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      String stateCatalog = state.catalogs().currentDatabase();
      alias = state.catalogs().attachModel(file);
      DuckDb.execute(connection, "attach ':memory:' as " + SCRATCH);
      try (DuckDBConnection reader = (DuckDBConnection) connection.duplicate()) {
        // Unqualified table names in the query resolve in the model's file, as they would there.
        DuckDb.execute(reader, "use " + DuckDb.identifier(alias));
        Optional<Staged> staged =
            stageInPlace(reader, stateCatalog, sourceName, sql, primaryKey, progress);
        if (staged.isEmpty()) {
          state.catalogs().dropScratch();
        }
        return staged;
      }
    } catch (SQLException e) {
      state.catalogs().dropScratch();
      return Optional.empty();
    } catch (RuntimeException e) {
      state.catalogs().dropScratch();
      throw e;
    } finally {
      if (alias != null) {
        state.catalogs().detachModel(alias);
      }
    }
  }

  private Optional<Staged> stageInPlace(
      DuckDBConnection reader,
      String stateCatalog,
      String sourceName,
      String sql,
      String primaryKey,
      LongConsumer progress)
      throws SQLException {
    Optional<InPlaceSql> described = InPlaceSql.describe(reader, sql, primaryKey);
    if (described.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = described.get().names();
    String scheme = scheme(described.get());
    boolean rescan = planner.storedScheme().map(stored -> !stored.equals(scheme)).orElse(false);
    String model = "(\n" + sql + "\n) q";
    InPlaceSql columns = described.get();
    String keyText = columns.keyText();
    // One aggregation by key gives the counts of NULL and duplicated keys too.
    String hash = columns.hash();
    DuckDb.execute(
        reader,
        "create table "
            + SCRATCH
            + ".fp as select pk, count(*) as n, min(h) as h from (select "
            + keyText
            + " as pk, "
            + hash
            + " as h from "
            + model
            + ") group by pk");
    long rows;
    long nullKeys;
    long duplicates;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select coalesce(sum(n), 0), coalesce(sum(n) filter (where pk is null), 0), "
                    + "coalesce(sum(n) filter (where pk is not null and n > 1), 0) from "
                    + SCRATCH
                    + ".fp")) {
      rs.next();
      rows = rs.getLong(1);
      nullKeys = rs.getLong(2);
      duplicates = rs.getLong(3);
    }
    progress.accept(rows);
    DuckDb.execute(
        connection,
        "create or replace temp table dup as select pk from "
            + SCRATCH
            + ".fp "
            + "where pk is not null and n > 1");
    // One pass over both sides: keys to send (new, moved, or all on a rescan), duplicated, or
    // removed.
    DuckDb.execute(
        connection,
        "create table "
            + SCRATCH
            + ".cmp as select m.pk as mpk, d.pk as dpk, m.h, m.n from "
            + "(select pk, n, h from "
            + SCRATCH
            + ".fp where pk is not null) m full join (select pk, h from delivered) d "
            + "on m.pk = d.pk"
            + (rescan ? "" : " where m.pk is null or d.pk is null or m.n > 1 or m.h <> d.h"));
    DuckDb.execute(
        connection,
        "create table "
            + SCRATCH
            + ".need as select mpk as pk, h, dpk is null as added from "
            + SCRATCH
            + ".cmp where mpk is not null and n = 1");
    long needed = state.count(SCRATCH + ".need");
    boolean everyRow = needed == rows - nullKeys - duplicates;
    DuckDb.execute(
        connection,
        "create table " + SCRATCH + ".encoded (pk varchar, h bigint, added boolean, row varchar)");
    // The fingerprint and whether the key is new come along as two columns after the row's own.
    // A first run or a new scheme needs every row: scan the query, no join with what is needed.
    String fetch =
        everyRow && state.count("delivered") == 0
            ? "select q.*, " + hash + " as h, true from " + model
            : everyRow
                ? "select q.*, "
                    + hash
                    + " as h, d.pk is null from "
                    + model
                    + " left join "
                    + DuckDb.identifier(stateCatalog)
                    + ".main.delivered d on "
                    + keyText
                    + " = d.pk"
                : "select q.*, n.h, n.added from "
                    + model
                    + " join "
                    + SCRATCH
                    + ".need n on "
                    + keyText
                    + " = n.pk";
    Statement statement =
        reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ResultSet rs;
    try {
      rs = statement.executeQuery(fetch);
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
    try (ModelCursor cursor = ModelCursor.over(sourceName, rs, names.size(), primaryKey)) {
      new StagingPipeline(connection, state::failed)
          .append(cursor, SCRATCH, "encoded", rs, names.size() + 1, n -> {});
    }
    // A query whose rows differ between two evaluations (random(), limit without order) or a
    // key whose text SQL and the encoder write differently: plan on the row-text path instead.
    if (state.count(
            SCRATCH
                + ".need n where not exists (select 1 from "
                + SCRATCH
                + ".encoded e where e.pk = n.pk)")
        > 0) {
      return Optional.empty();
    }
    planner.stagedInPlace(
        scheme, rescan, "select pk, n from " + SCRATCH + ".fp where pk is not null and n > 1");
    return Optional.of(new Staged(rows, nullKeys, names));
  }

  /** The fingerprint scheme of a model planned in place. */
  String scheme(InPlaceSql columns) throws SQLException {
    return DUCKDB_SCHEME
        + "; "
        + duckDbVersion()
        + "; "
        + DuckDb.columnSignature(columns.names(), columns.types());
  }

  private String duckDbVersion() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select version()")) {
      rs.next();
      return "duckdb " + rs.getString(1);
    }
  }
}
