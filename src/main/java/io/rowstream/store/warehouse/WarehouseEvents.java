package io.rowstream.store.warehouse;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.source.ModelCursor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;

/**
 * The planned events, streamed from PostgreSQL with a server-side cursor (a transaction and a fetch
 * size): first the model's rows to send, encoded as a source encodes them, then the removed keys
 * with their delivered rows. Closing it ends the read transaction.
 */
final class WarehouseEvents implements EventStream {
  /** Rows per round trip. */
  static final int FETCH_SIZE = 5_000;

  private final Connection connection;
  private final String sourceName;
  private final PlanSql sql;
  private final String plan;
  private final String primaryKey;
  private final boolean anyToSend;
  private final boolean anyRemoved;

  private Statement statement;
  private ResultSet rs;
  private ModelCursor rows;
  private int modelColumns;
  private boolean readingRemoved;
  private PlannedEvent next;
  private boolean done;

  WarehouseEvents(
      Connection connection,
      String sourceName,
      PlanSql sql,
      String plan,
      String primaryKey,
      PlanCounts counts) {
    this.connection = connection;
    this.sourceName = sourceName;
    this.sql = sql;
    this.plan = plan;
    this.primaryKey = primaryKey;
    // a dry run evaluates the plan in each query: skip the queries that can find nothing
    this.anyToSend = counts.added() + counts.changed() > 0;
    this.anyRemoved = counts.removed() > 0;
  }

  @Override
  public boolean hasNext() {
    if (next != null || done) {
      return next != null;
    }
    try {
      if (rs == null && !readingRemoved) {
        if (!anyToSend) {
          readingRemoved = true;
          return openRemoved();
        }
        statement = open();
        rs = statement.executeQuery(sql.rowsToSend(plan));
        modelColumns = rs.getMetaData().getColumnCount() - 3;
        rows = ModelCursor.over(sourceName, rs, modelColumns, primaryKey);
      }
      if (!readingRemoved) {
        if (rows.next()) {
          next =
              new PlannedEvent(
                  EventType.parse(rs.getString(modelColumns + 1)).orElseThrow(),
                  rs.getString(modelColumns + 2),
                  rows.rowJson(),
                  rs.getLong(modelColumns + 3));
          return true;
        }
        rows.close();
        readingRemoved = true;
        return openRemoved();
      }
      return nextRemoved();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private boolean openRemoved() throws SQLException {
    if (!anyRemoved) {
      done = true;
      return false;
    }
    statement = open();
    rs = statement.executeQuery(sql.removed(plan));
    return nextRemoved();
  }

  private boolean nextRemoved() {
    try {
      if (rs.next()) {
        next = new PlannedEvent(EventType.REMOVED, rs.getString(1), rs.getString(2), rs.getLong(3));
        return true;
      }
      done = true;
      return false;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private RowstreamException failed(SQLException e) {
    return RowstreamException.fatal(
        ErrorCode.SOURCE_QUERY_FAILED,
        "source " + sourceName + ": reading the planned rows failed: " + Pg.describe(e),
        e);
  }

  private Statement open() throws SQLException {
    Statement s =
        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    s.setFetchSize(FETCH_SIZE);
    return s;
  }

  @Override
  public PlannedEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    PlannedEvent event = next;
    next = null;
    return event;
  }

  @Override
  public void close() {
    if (rows != null) {
      rows.close();
    }
    Pg.closeQuietly(statement);
    try {
      connection.rollback(); // a read: ends the transaction that held the cursor
    } catch (SQLException ignored) {
      // the connection is gone; nothing was written through it here
    }
  }
}
