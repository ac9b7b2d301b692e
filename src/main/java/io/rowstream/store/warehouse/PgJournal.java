package io.rowstream.store.warehouse;

import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.state.Ack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The writes of a PostgreSQL state to its delivered keys, on the writer's session: the
 * acknowledgements, each batch committed by one COPY before it counts, the merge that folds them
 * into {@code SYNC_delivered} in one transaction, the baseline, and forgetting. Each write keeps
 * the delivered count of {@link PgDeliveredRows} in its own transaction. Not synchronized here: the
 * state that owns this holds its lock around every call.
 */
final class PgJournal {
  private final PlannerTables tables;
  private final WarehouseErrors errors;
  private final PgDeliveredRows deliveredRows;
  private final Connection writer;

  PgJournal(PlannerTables tables, WarehouseErrors errors, Connection writer) {
    this.tables = tables;
    this.errors = errors;
    this.deliveredRows = new PgDeliveredRows(tables);
    this.writer = writer;
  }

  /** Commits the acks by one COPY: then they are durable in the warehouse. */
  void ack(List<Ack> acks) {
    try {
      AckCopy.copy(writer, tables.acks(), acks);
    } catch (SQLException e) {
      throw errors.failed("recording acknowledged rows in", e);
    }
  }

  /** Folds the acks into the delivered keys in one transaction: each key's last ack wins. */
  void mergeAcks() {
    try {
      if (!Jdbc.exists(writer, "select exists (select 1 from " + tables.acks() + ")")) {
        return;
      }
      writer.setAutoCommit(false);
      try {
        long rows = deliveredRows.of(writer);
        rows -=
            update(
                "delete from "
                    + tables.delivered()
                    + " d using "
                    + tables.acks()
                    + " a where d.k = a.k");
        rows +=
            update(
                "insert into "
                    + tables.delivered()
                    + " (k, fp, row, ki) select k, fp, row, "
                    + Schema.INTEGER_KEY_OF_K
                    + " from (select distinct on (k) k, op, fp, row from "
                    + tables.acks()
                    + " order by k, seq desc) last where op <> 'removed'");
        Jdbc.execute(writer, "truncate " + tables.acks());
        deliveredRows.set(writer, rows);
        writer.commit();
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors.failed("merging acknowledged rows in", e);
    }
  }

  private long update(String sql) throws SQLException {
    try (Statement s = writer.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  /**
   * Records every planned event as acknowledged, to be merged by the caller. Into an empty state (a
   * first run) the rows are copied straight into {@code SYNC_delivered}, in one transaction with
   * its count: each row's JSON is written once, not to the acks and again by a merge.
   */
  void recordBaseline(Supplier<EventStream> planned) {
    try {
      if (deliveredRows.of(writer) == 0
          && !Jdbc.exists(writer, "select exists (select 1 from " + tables.acks() + ")")) {
        baselineIntoEmpty(planned);
        return;
      }
      try (EventStream events = planned.get();
          AckCopy.Stream copy = AckCopy.Stream.acks(writer, tables.acks())) {
        while (events.hasNext()) {
          PlannedEvent event = events.next();
          copy.write(event.ack());
        }
        copy.finish();
      }
    } catch (SQLException e) {
      throw errors.failed("recording the baseline in", e);
    }
  }

  private void baselineIntoEmpty(Supplier<EventStream> planned) throws SQLException {
    writer.setAutoCommit(false);
    try (EventStream events = planned.get();
        AckCopy.Stream copy = AckCopy.Stream.delivered(writer, tables.delivered())) {
      long rows = 0;
      while (events.hasNext()) {
        Ack ack = events.next().ack();
        if (ack.row() != null) { // nothing is removed from an empty state
          copy.write(ack);
          rows++;
        }
      }
      copy.finish();
      deliveredRows.set(writer, rows);
      writer.commit();
    } catch (SQLException | RuntimeException e) {
      writer.rollback();
      throw e;
    } finally {
      writer.setAutoCommit(true);
    }
    settle();
  }

  /**
   * After a bulk load of the delivered table: its statistics (the next plan's diff then builds its
   * hash table on the delivered keys, not on the wider model rows it would take for the smaller
   * side without them) and its rows' visibility hints, which the next plan's scan would otherwise
   * write over the whole table. About 1.3 s at 10M rows; the next plan's diff took 6.9 s instead of
   * 10.4 s. Best effort: autovacuum does the same later.
   */
  private void settle() {
    try {
      Jdbc.execute(writer, "vacuum (analyze) " + tables.delivered());
    } catch (SQLException ignored) {
      // autovacuum settles it later
    }
  }

  /** Forgets the given delivered keys, or all of them; returns how many were delivered. */
  long forget(Optional<Collection<String>> keys) {
    try {
      writer.setAutoCommit(false);
      try {
        long rows = deliveredRows.of(writer);
        long n;
        if (keys.isEmpty()) {
          n = Jdbc.longOf(writer, "select count(*) from " + tables.delivered());
          Jdbc.execute(writer, "truncate " + tables.delivered());
          rows = 0;
        } else {
          n = 0;
          try (PreparedStatement s =
              writer.prepareStatement("delete from " + tables.delivered() + " where k = ?")) {
            for (String key : keys.get()) {
              s.setString(1, key);
              n += s.executeUpdate();
            }
          }
          rows -= n;
        }
        deliveredRows.set(writer, rows);
        writer.commit();
        return n;
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors.failed("forgetting delivered rows in", e);
    }
  }
}
