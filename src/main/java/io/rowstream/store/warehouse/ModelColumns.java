package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.source.KeyColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's columns as the planner's session reads them, in either dialect, without running the
 * model (LIMIT 0): their labels, their types, and the signature of both that the fingerprints are
 * seeded with, so that a changed column changes every fingerprint.
 *
 * @param metaData the driver's description, kept for rendering the events' values
 */
record ModelColumns(
    List<String> names,
    List<PlanSql.Column> columns,
    String signature,
    ResultSetMetaData metaData) {

  /** Reads the columns of {@code query}, aliased {@code rowAlias}, signed under {@code scheme}. */
  static ModelColumns read(Connection planner, String query, String rowAlias, String scheme)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<PlanSql.Column> columns = new ArrayList<>();
    StringBuilder signature = new StringBuilder(scheme).append('\n');
    try (PreparedStatement s =
            planner.prepareStatement(
                "select * from ("
                    + PlanSql.withoutTrailingSemicolons(query)
                    + "\n) "
                    + rowAlias
                    + " limit 0");
        ResultSet rs = s.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        names.add(md.getColumnLabel(c));
        columns.add(new PlanSql.Column(md.getColumnLabel(c), md.getColumnTypeName(c)));
        signature.append(md.getColumnLabel(c)).append(':').append(md.getColumnTypeName(c));
        signature.append('\n');
      }
      return new ModelColumns(names, columns, signature.toString(), md);
    }
  }

  /** The index of the primary key column, or a negative {@link KeyColumn} code. */
  int keyIndex(String primaryKey) {
    return KeyColumn.indexIn(names, primaryKey);
  }

  /** The error for a primary key column that {@link #keyIndex} did not find. */
  RowstreamException keyNotFound(SourceConfig source, String primaryKey, int key) {
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "source "
            + source.name()
            + ": primary key column '"
            + primaryKey
            + "' "
            + (key == KeyColumn.AMBIGUOUS
                ? "matches several columns of the query, each only ignoring case"
                : "is not among the query's columns: " + String.join(", ", names)));
  }
}
