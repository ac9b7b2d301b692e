package io.rowstream.store.duckdb;

import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlannedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** Planned events in no particular order, streamed from DuckDB. */
final class DuckDbEvents implements EventStream {
  private final Statement statement;
  private final ResultSet rs;
  private PlannedEvent next;

  DuckDbEvents(Statement statement, ResultSet rs) {
    this.statement = statement;
    this.rs = rs;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        if (rs.next()) {
          next =
              new PlannedEvent(
                  EventType.parse(rs.getString(1)).orElseThrow(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4));
        }
      } catch (SQLException e) {
        throw RowstreamException.fatal(
            "reading planned events failed: " + DuckDb.firstLine(e.getMessage()), e);
      }
    }
    return next != null;
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

  /** Events of a query run at the first read, not before. */
  static EventStream lazily(Supplier<EventStream> open) {
    return new EventStream() {
      private EventStream events;
      private boolean closed;

      private EventStream events() {
        if (events == null) {
          if (closed) {
            throw new IllegalStateException("the events are closed");
          }
          events = open.get();
        }
        return events;
      }

      @Override
      public boolean hasNext() {
        return events().hasNext();
      }

      @Override
      public PlannedEvent next() {
        return events().next();
      }

      @Override
      public void close() {
        closed = true;
        if (events != null) {
          events.close();
        }
      }
    };
  }

  @Override
  public void close() {
    try {
      rs.close();
      statement.close();
    } catch (SQLException ignored) {
      // read-only
    }
  }
}
