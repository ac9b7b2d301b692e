package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.sql.SQLException;

/** The errors of a warehouse state, naming the source, the schema and what to do. */
record WarehouseErrors(SourceConfig source, PlannerTables tables) {
  RowstreamException failed(String doing, SQLException e) {
    if (Pg.denied(e)) {
      return RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "error "
              + doing
              + " the state of sync "
              + tables.sync()
              + " in planner schema "
              + tables.schema()
              + " of source "
              + source.name()
              + ": "
              + Pg.describe(e)
              + "; `rowstream check DEST` names the grants to add",
          e);
    }
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "error "
            + doing
            + " the state of sync "
            + tables.sync()
            + " in planner schema "
            + tables.schema()
            + " of source "
            + source.name()
            + ": "
            + Pg.describe(e),
        e);
  }

  RowstreamException queryFailed(SQLException e) {
    String message = Pg.describe(e);
    if (Pg.denied(e) && (message.contains(tables.schema()) || message.contains("temporary"))) {
      return failed("planning", e);
    }
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "source " + source.name() + ": query failed: " + Pg.describe(e),
        e);
  }
}
