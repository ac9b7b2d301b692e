package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.sql.SQLException;

/** The errors of a warehouse state, naming the source, the schema and what to do. */
record WarehouseErrors(SourceConfig source, PlannerTables tables) {
  RowstreamException failed(String doing, SQLException e) {
    if (denied(e)) {
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
              + Jdbc.describe(e)
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
            + Jdbc.describe(e),
        e);
  }

  RowstreamException queryFailed(SQLException e) {
    String message = Jdbc.describe(e);
    if (denied(e) && (message.contains(tables.schema()) || message.contains("temporary"))) {
      return failed("planning", e);
    }
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "source " + source.name() + ": query failed: " + Jdbc.describe(e),
        e);
  }

  /** A refused privilege, in either dialect's words (their codes do not overlap). */
  private static boolean denied(SQLException e) {
    return Pg.denied(e) || MariaDb.denied(e);
  }
}
