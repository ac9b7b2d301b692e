package io.rowstream.source;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * The rows of a model, read once, front to back, without holding them in memory.
 *
 * <p>Lifecycle: {@link #next()} until it returns false, reading {@link #key()} and {@link
 * #rowJson()} of the current row in between; then {@link #close()}.
 */
public interface ModelCursor extends AutoCloseable {
  List<String> columns();

  boolean next();

  /** The primary key of the current row as text, or null when the database holds NULL. */
  String key();

  /** The current row as a JSON object with the types of SPEC §4.7, columns in query order. */
  String rowJson();

  @Override
  void close();

  /**
   * A cursor over the result of a model's query that another component ran (the DuckDB planner runs
   * DuckDB models in place); the first {@code columns} columns are the model's row, encoded exactly
   * as a {@link Source}'s, and any after them are the caller's. Closing it closes the result set's
   * statement.
   *
   * @throws RowstreamException FATAL when the primary key column is not among the columns
   */
  static ModelCursor over(String sourceName, ResultSet rs, int columns, String primaryKey)
      throws SQLException {
    RowEncoder encoder;
    try {
      encoder = RowEncoder.of(rs.getMetaData(), columns, primaryKey);
    } catch (IllegalArgumentException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED, "source " + sourceName + ": " + e.getMessage());
    }
    return new ResultSetCursor(sourceName, rs.getStatement(), rs, encoder);
  }

  /**
   * As {@link #over(String, ResultSet, int, String)}, but each of the model's columns (the first
   * {@code modelTypes.getColumnCount()} of {@code rs}) is read as {@code modelTypes} types it: for
   * a result that holds the model's rows in a table that typed them more loosely (MariaDB keeps no
   * JSON or tinyint(1) type in a table made by CREATE ... SELECT over a UNION).
   */
  static ModelCursor over(
      String sourceName, ResultSet rs, ResultSetMetaData modelTypes, String primaryKey)
      throws SQLException {
    RowEncoder encoder;
    try {
      encoder = RowEncoder.of(modelTypes, modelTypes.getColumnCount(), primaryKey);
    } catch (IllegalArgumentException e) {
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED, "source " + sourceName + ": " + e.getMessage());
    }
    return new ResultSetCursor(sourceName, rs.getStatement(), rs, encoder);
  }
}
