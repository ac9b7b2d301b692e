package io.rowstream.source;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A model's rows from an open result set; closing it closes the statement. */
final class ResultSetCursor implements ModelCursor {
  private final String sourceName;
  private final Statement statement;
  private final ResultSet rs;
  private final RowEncoder encoder;

  ResultSetCursor(String sourceName, Statement statement, ResultSet rs, RowEncoder encoder) {
    this.sourceName = sourceName;
    this.statement = statement;
    this.rs = rs;
    this.encoder = encoder;
  }

  @Override
  public List<String> columns() {
    return encoder.columnNames();
  }

  @Override
  public boolean next() {
    try {
      return rs.next();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public String key() {
    try {
      return encoder.key(rs);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public String rowJson() {
    try {
      return encoder.encodeRow(rs);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private RowstreamException failed(SQLException e) {
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "source " + sourceName + ": reading the query result failed: " + SqlErrors.describe(e),
        e);
  }

  @Override
  public void close() {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // a read-only statement; nothing to lose
    }
  }
}
