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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;

/**
 * The planned events, streamed from the warehouse with a fetch size (PostgreSQL: a server-side
 * cursor inside a transaction; MariaDB Connector/J: a streaming result): first the model's rows to
 * send, encoded as a source encodes them, then the removed keys with their delivered rows. Closing
 * it ends the read transaction.
 *
 * <p>The two queries are the dialect's: {@code rowsToSend} gives the model's columns, then the op,
 * the key and the fingerprint; {@code removed} gives the key, the delivered row and its
 * fingerprint.
 */
final class WarehouseEvents implements EventStream {
  /** Rows per round trip. */
  static final int FETCH_SIZE = 5_000;

  private final Connection connection;
  private final String sourceName;
  private final String rowsToSend;
  private final String removed;
  private final ResultSetMetaData modelTypes;
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
      String rowsToSend,
      String removed,
      ResultSetMetaData modelTypes,
      String primaryKey,
      PlanCounts counts) {
    this.connection = connection;
    this.sourceName = sourceName;
    this.rowsToSend = rowsToSend;
    this.removed = removed;
    this.modelTypes = modelTypes;
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
        rs = statement.executeQuery(rowsToSend);
        modelColumns = rs.getMetaData().getColumnCount() - 3;
        // a plan table may not keep how the model typed a column (MariaDB's JSON, tinyint(1)):
        // then the model's own metadata says how to encode it
        rows =
            modelTypes == null
                ? ModelCursor.over(sourceName, rs, modelColumns, primaryKey)
                : ModelCursor.over(sourceName, rs, modelTypes, primaryKey);
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
    rs = statement.executeQuery(removed);
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
        "source " + sourceName + ": reading the planned rows failed: " + Jdbc.describe(e),
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
    Jdbc.closeQuietly(statement);
    try {
      connection.rollback(); // a read: ends the transaction that held the cursor
    } catch (SQLException ignored) {
      // the connection is gone; nothing was written through it here
    }
  }
}
