package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlanningStore;
import io.rowstream.plan.RowHash;
import java.sql.Connection;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * One plan of a sync's model inside MariaDB, on the planner's connection of its {@link MariaState}:
 * the model's columns (LIMIT 0), the plan of {@link MariaSql} kept in a temporary table of the
 * planner database (a dry run evaluates it where needed instead), its counts, the keys held by
 * several rows, and the planned events.
 */
final class MariaPlan {
  private final SourceConfig source;
  private final MariaTables tables;
  private final boolean readOnly;
  private final Connection planner;

  /** The delivered table, or {@link MariaSql#NOTHING_DELIVERED} for a sync that never ran. */
  private final String delivered;

  private MariaSql sql;
  private ResultSetMetaData modelTypes;
  private String primaryKey;
  private String plan;
  private PlanCounts counts;
  private List<String> names;

  private MariaPlan(
      SourceConfig source,
      MariaTables tables,
      boolean readOnly,
      Connection planner,
      String delivered) {
    this.source = source;
    this.tables = tables;
    this.readOnly = readOnly;
    this.planner = planner;
    this.delivered = delivered;
  }

  private WarehouseErrors errors() {
    return new WarehouseErrors(source, tables.names());
  }

  /**
   * Plans the model inside MariaDB: reads its columns (LIMIT 0), keeps the plan in a temporary
   * table of the planner database (a dry run evaluates it where needed instead), counts, and looks
   * for keys held by several rows only when the counts show some.
   */
  static MariaPlan stage(
      SourceConfig source,
      MariaTables tables,
      boolean readOnly,
      Connection planner,
      String delivered,
      PlanningStore.WarehouseModel model) {
    MariaPlan p = new MariaPlan(source, tables, readOnly, planner, delivered);
    p.run(model);
    return p;
  }

  private void run(PlanningStore.WarehouseModel model) {
    ModelColumns columns;
    try {
      columns = ModelColumns.read(planner, model.query(), MariaSql.ROW, MariaState.SCHEME);
    } catch (SQLException e) {
      throw errors().queryFailed(e);
    }
    modelTypes = columns.metaData();
    int key = columns.keyIndex(model.primaryKey());
    if (key < 0) {
      throw columns.keyNotFound(source, model.primaryKey(), key);
    }
    primaryKey = model.primaryKey();
    sql =
        new MariaSql(
            model.query(),
            columns.names().get(key),
            columns.columns(),
            RowHash.of(columns.signature()),
            delivered);
    try {
      if (readOnly) {
        plan = "(" + sql.diff() + ")";
      } else {
        Jdbc.execute(planner, "drop temporary table if exists " + tables.plan());
        Jdbc.execute(planner, "drop temporary table if exists " + tables.dups());
        Jdbc.execute(planner, "create temporary table " + tables.plan() + " as " + sql.diff());
        plan = tables.plan();
      }
      counts = count();
    } catch (SQLException e) {
      throw errors().queryFailed(e);
    }
    this.names = List.copyOf(columns.names());
  }

  /** As {@link PgPlan}'s count: keys held by several rows are looked for only when seen. */
  private PlanCounts count() throws SQLException {
    long rows = Jdbc.longOf(planner, sql.rowCount());
    long deliveredRows = Jdbc.longOf(planner, "select count(*) from " + delivered + " d");
    long[] byOp = PlanReads.countByOp(planner, plan);
    if (PlanReads.mayHoldDuplicates(planner, plan, rows, deliveredRows, byOp)) {
      if (readOnly) {
        plan = sql.withDuplicates(plan, "(" + sql.duplicates() + ")");
      } else {
        Jdbc.execute(
            planner, "create temporary table " + tables.dups() + " as " + sql.duplicates());
        Jdbc.execute(
            planner,
            "delete from "
                + tables.plan()
                + " where rowstream_k in (select k from "
                + tables.dups()
                + ")");
        Jdbc.execute(
            planner,
            "insert into "
                + tables.plan()
                + " (rowstream_k, rowstream_op, rowstream_n) select k, 'dup', n from "
                + tables.dups());
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
      return PlanReads.duplicateKeys(planner, plan);
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    }
  }

  EventStream events() {
    return new WarehouseEvents(
        planner,
        source.name(),
        sql.rowsToSend(plan),
        sql.removed(plan),
        modelTypes,
        primaryKey,
        counts);
  }
}
