package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlanningStore;
import io.rowstream.plan.RowHash;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * One plan of a sync's model inside PostgreSQL, on the planner's session of its {@link
 * WarehouseState}: the model's columns (without running it), the one set-based diff of {@link
 * PlanSql} in one snapshot with the counts, kept in a temporary table (a dry run, which may create
 * nothing, evaluates it again where it needs it), the keys held by several rows, and the planned
 * events.
 */
final class PgPlan {
  /** The temporary table a run's plan is kept in. */
  private static final String PLAN_TABLE = "pg_temp.rowstream_plan";

  /** The temporary table of keys held by several rows, when there are some. */
  private static final String DUPS_TABLE = "pg_temp.rowstream_dups";

  /**
   * Settings of the plan's transaction only. The planner estimates that the diff's filter keeps
   * most rows (it cannot know how few changed), so a Gather looks costlier than it is and the scan,
   * fingerprints and hash join would run in one process; with these the server's parallel workers
   * ({@code max_parallel_workers_per_gather}) share them (a parallel hash full join, PostgreSQL
   * 16+). Measured: BENCHMARKS.md, "Planning in the warehouse".
   */
  private static final List<String> PLAN_SETTINGS =
      List.of("set local parallel_setup_cost = 0", "set local parallel_tuple_cost = 0");

  /**
   * Memory for the diff's hash join, per process. Small on purpose: PostgreSQL then partitions both
   * sides into batches whose hash tables fit in the processor's caches, instead of probing one
   * table of millions of keys at random. At 10M rows the diff took 4.6 s with 8MB against 6.9–10.5
   * s with 256MB (one batch), the same at 1M (BENCHMARKS.md, "Planning in the warehouse").
   */
  static final String DIFF_WORK_MEM = "8MB";

  private final SourceConfig source;
  private final PlannerTables tables;
  private final StateSessions sessions;

  /** Plans and streams events; autocommit off while it plans and streams. */
  private final Connection planner;

  /** Whether the sync's tables exist (a dry run of a sync that never ran sees none). */
  private final boolean tablesExist;

  private PlanSql sql;
  private String primaryKey;
  private String plan;
  private PlanCounts counts;
  private List<String> names;

  private PgPlan(
      SourceConfig source, PlannerTables tables, StateSessions sessions, boolean tablesExist) {
    this.source = source;
    this.tables = tables;
    this.sessions = sessions;
    this.planner = sessions.planner();
    this.tablesExist = tablesExist;
  }

  /**
   * Plans the model inside PostgreSQL: reads its columns (without running it), runs the one
   * set-based diff, counts the model's rows, and looks for keys held by several rows only when the
   * counts show some.
   */
  static PgPlan stage(
      SourceConfig source,
      PlannerTables tables,
      StateSessions sessions,
      boolean tablesExist,
      PlanningStore.WarehouseModel model) {
    PgPlan p = new PgPlan(source, tables, sessions, tablesExist);
    p.run(model);
    return p;
  }

  private WarehouseErrors errors() {
    return new WarehouseErrors(source, tables);
  }

  private void run(PlanningStore.WarehouseModel model) {
    ModelColumns columns;
    boolean hashRecord;
    try {
      // one snapshot for the diff and the counts, so that they agree while the model changes
      planner.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      planner.setAutoCommit(false);
      for (String setting : PLAN_SETTINGS) {
        Jdbc.execute(planner, setting);
      }
      hashRecord = planner.getMetaData().getDatabaseMajorVersion() >= 14;
      columns = ModelColumns.read(planner, model.query(), PlanSql.ROW, WarehouseState.SCHEME);
    } catch (SQLException e) {
      sessions.rollbackPlanner();
      throw errors().queryFailed(e);
    }
    int key = columns.keyIndex(model.primaryKey());
    if (key < 0) {
      sessions.rollbackPlanner();
      throw columns.keyNotFound(source, model.primaryKey(), key);
    }
    boolean integerKeys;
    try {
      integerKeys =
          PlanSql.INTEGER_TYPES.contains(columns.columns().get(key).type().toLowerCase(Locale.ROOT))
              && (!tablesExist || Schema.hasIntegerKey(planner, tables));
    } catch (SQLException e) {
      sessions.rollbackPlanner();
      throw errors().queryFailed(e);
    }
    primaryKey = model.primaryKey();
    sql =
        new PlanSql(
            model.query(),
            columns.names().get(key),
            columns.columns(),
            RowHash.of(columns.signature()),
            hashRecord,
            tablesExist ? tables.delivered() : PlanSql.NOTHING_DELIVERED,
            integerKeys);
    try {
      if (sessions.readOnly()) {
        plan = "(" + sql.diff() + ")";
      } else {
        Jdbc.execute(planner, "drop table if exists " + PLAN_TABLE);
        Jdbc.execute(planner, "drop table if exists " + DUPS_TABLE);
        Jdbc.execute(planner, "set local work_mem = '" + DIFF_WORK_MEM + "'");
        Jdbc.execute(planner, "create temporary table rowstream_plan as " + sql.diff());
        Jdbc.execute(planner, "set local work_mem = '" + Pg.PLAN_WORK_MEM + "'");
        Jdbc.execute(planner, "analyze " + PLAN_TABLE);
        plan = PLAN_TABLE;
      }
      counts = count();
      planner.commit();
    } catch (SQLException e) {
      sessions.rollbackPlanner();
      throw errors().queryFailed(e);
    }
    names = List.copyOf(columns.names());
  }

  /**
   * The plan's counts; when they show keys held by several rows (then only), a grouped query finds
   * them, and their rows leave the plan as one 'dup' entry each.
   */
  private PlanCounts count() throws SQLException {
    long rows = Jdbc.longOf(planner, sql.rowCount());
    long deliveredRows = tablesExist ? new PgDeliveredRows(tables).of(planner) : 0;
    long[] byOp = PlanReads.countByOp(planner, plan);
    if (PlanReads.mayHoldDuplicates(planner, plan, rows, deliveredRows, byOp)) {
      if (sessions.readOnly()) {
        plan = sql.withDuplicates(plan, "(" + sql.duplicates() + ")");
      } else {
        Jdbc.execute(planner, "create temporary table rowstream_dups as " + sql.duplicates());
        Jdbc.execute(
            planner,
            "delete from "
                + PLAN_TABLE
                + " where rowstream_k in (select k from "
                + DUPS_TABLE
                + ")");
        Jdbc.execute(
            planner,
            "insert into "
                + PLAN_TABLE
                + " (rowstream_k, rowstream_op, rowstream_n) select k, 'dup', n from "
                + DUPS_TABLE);
        Jdbc.execute(planner, "analyze " + PLAN_TABLE);
      }
      byOp = PlanReads.countByOp(planner, plan);
    }
    return PlanReads.counts(rows, byOp);
  }

  PlanCounts counts() {
    return counts;
  }

  /** The model's columns, in query order. */
  List<String> columns() {
    return names;
  }

  List<DuplicateKey> duplicateKeys() {
    try {
      List<DuplicateKey> keys = PlanReads.duplicateKeys(planner, plan);
      planner.commit();
      return keys;
    } catch (SQLException e) {
      sessions.rollbackPlanner();
      throw errors().failed("reading", e);
    }
  }

  EventStream events() {
    return new WarehouseEvents(
        planner, source.name(), sql.rowsToSend(plan), sql.removed(plan), null, primaryKey, counts);
  }
}
