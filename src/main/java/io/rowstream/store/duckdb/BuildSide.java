package io.rowstream.store.duckdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * Plans the streaming queries of {@link InPlaceStream} with the hash join's build side left where
 * the SQL puts it: the delivered keys and fingerprints (two narrow columns). Left to itself, DuckDB
 * builds on the model's side, which it estimates smaller once NULL keys are filtered out, and so
 * holds every model row with all its columns in the hash table: at 10M rows, about twice the CPU
 * before the first row comes out (BENCHMARKS.md, "Incremental run").
 */
final class BuildSide {
  /** DuckDB's optimizer that puts the smaller side of a join on its build side. */
  private static final String OPTIMIZER = "build_side_probe_side";

  /** Something that plans (prepares or runs) a query. */
  interface Planning<T> {
    T run() throws SQLException;
  }

  private BuildSide() {}

  /**
   * Runs {@code planning} with DuckDB's build side optimizer off. The switch is global to the
   * database, so it is set on {@code on} only while the query is planned (a prepared or streamed
   * query keeps its plan), then put back.
   */
  static <T> T onDelivered(DuckDBConnection on, Planning<T> planning) throws SQLException {
    String before;
    try (Statement s = on.createStatement();
        ResultSet rs = s.executeQuery("select current_setting('disabled_optimizers')")) {
      rs.next();
      before = rs.getString(1);
    }
    String disabled = before == null || before.isBlank() ? OPTIMIZER : before + "," + OPTIMIZER;
    DuckDb.execute(on, "set global disabled_optimizers = " + DuckDb.literal(disabled));
    try {
      return planning.run();
    } finally {
      DuckDb.execute(
          on, "set global disabled_optimizers = " + DuckDb.literal(before == null ? "" : before));
    }
  }
}
