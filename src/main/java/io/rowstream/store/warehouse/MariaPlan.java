package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlanningStore;
import io.rowstream.plan.RowHash;
import io.rowstream.source.KeyColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
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
    List<String> names = new ArrayList<>();
    List<PlanSql.Column> columns = new ArrayList<>();
    StringBuilder signature = new StringBuilder(MariaState.SCHEME).append('\n');
    try (PreparedStatement s =
            planner.prepareStatement(
                "select * from ("
                    + PlanSql.withoutTrailingSemicolons(model.query())
                    + "\n) "
                    + MariaSql.ROW
                    + " limit 0");
        ResultSet rs = s.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        names.add(md.getColumnLabel(c));
        columns.add(new PlanSql.Column(md.getColumnLabel(c), md.getColumnTypeName(c)));
        signature.append(md.getColumnLabel(c)).append(':').append(md.getColumnTypeName(c));
        signature.append('\n');
      }
      modelTypes = md;
    } catch (SQLException e) {
      throw errors().queryFailed(e);
    }
    int key = KeyColumn.indexIn(names, model.primaryKey());
    if (key < 0) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED,
          "source "
              + source.name()
              + ": primary key column '"
              + model.primaryKey()
              + "' "
              + (key == KeyColumn.AMBIGUOUS
                  ? "matches several columns of the query, each only ignoring case"
                  : "is not among the query's columns: " + String.join(", ", names)));
    }
    primaryKey = model.primaryKey();
    sql =
        new MariaSql(
            model.query(), names.get(key), columns, RowHash.of(signature.toString()), delivered);
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
    this.names = List.copyOf(names);
  }

  /** As {@link WarehouseState}'s count: keys held by several rows are looked for only when seen. */
  private PlanCounts count() throws SQLException {
    long rows = Jdbc.longOf(planner, sql.rowCount());
    long deliveredRows = Jdbc.longOf(planner, "select count(*) from " + delivered + " d");
    long[] byOp = countByOp();
    long added = byOp[0];
    long removed = byOp[2];
    long nullKeys = byOp[3];
    boolean repeated =
        Jdbc.exists(
            planner,
            "select exists (select 1 from "
                + plan
                + " p where rowstream_op in ('added', 'changed') group by rowstream_k"
                + " having count(*) > 1)");
    long matched = rows - added - nullKeys;
    if (repeated || matched > deliveredRows - removed) {
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
      byOp = countByOp();
    }
    return new PlanCounts(rows, byOp[0], byOp[1], byOp[2], byOp[3], byOp[4]);
  }

  /** Rows of the plan: added, changed, removed, NULL keys, rows of duplicated keys. */
  private long[] countByOp() throws SQLException {
    long[] byOp = new long[5];
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_op, count(*), coalesce(sum(rowstream_n), 0) from "
                    + plan
                    + " p group by rowstream_op");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "added" -> byOp[0] = rs.getLong(2);
          case "changed" -> byOp[1] = rs.getLong(2);
          case "removed" -> byOp[2] = rs.getLong(2);
          case "null" -> byOp[3] = rs.getLong(2);
          default -> byOp[4] = rs.getLong(3);
        }
      }
    }
    return byOp;
  }

  PlanCounts counts() {
    return counts;
  }

  /** The model's columns, in query order. */
  List<String> columns() {
    return names;
  }

  List<DuplicateKey> duplicateKeys() {
    List<DuplicateKey> keys = new ArrayList<>();
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_k, rowstream_n from "
                    + plan
                    + " p where rowstream_op = 'dup' order by rowstream_k");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        keys.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    }
    return keys;
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
