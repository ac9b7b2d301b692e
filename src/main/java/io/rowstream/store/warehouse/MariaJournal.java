package io.rowstream.store.warehouse;

import io.rowstream.plan.EventStream;
import io.rowstream.state.Ack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The writes of a MariaDB state to its delivered keys, on the writer's session: the
 * acknowledgements, each batch committed by one batched INSERT transaction before it counts, the
 * fold into the delivered table up to the last sequence number seen, the baseline, and forgetting.
 * Not synchronized here: the state that owns this holds its lock around every call.
 */
final class MariaJournal {
  /** Rows per batch when a baseline is recorded (all of it in one transaction). */
  private static final int BASELINE_BATCH = 2_000;

  private final MariaTables tables;
  private final WarehouseErrors errors;
  private final Connection writer;

  MariaJournal(MariaTables tables, WarehouseErrors errors, Connection writer) {
    this.tables = tables;
    this.errors = errors;
    this.writer = writer;
  }

  /**
   * Every planned event recorded as acknowledged in one transaction, to be merged by the caller.
   */
  void recordBaseline(Supplier<EventStream> planned) {
    try (EventStream events = planned.get()) {
      writer.setAutoCommit(false);
      try (PreparedStatement insert = writer.prepareStatement(insertAck())) {
        int batched = 0;
        while (events.hasNext()) {
          bind(insert, events.next().ack());
          if (++batched == BASELINE_BATCH) {
            insert.executeBatch();
            batched = 0;
          }
        }
        if (batched > 0) {
          insert.executeBatch();
        }
        writer.commit();
      } catch (SQLException | RuntimeException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors.failed("recording the baseline in", e);
    }
  }

  /**
   * One batched INSERT, committed before it returns: then the acks are durable in the warehouse.
   */
  void ack(List<Ack> acks) {
    try {
      writer.setAutoCommit(false);
      try (PreparedStatement insert = writer.prepareStatement(insertAck())) {
        for (Ack ack : acks) {
          bind(insert, ack);
        }
        insert.executeBatch();
        writer.commit();
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors.failed("recording acknowledged rows in", e);
    }
  }

  private String insertAck() {
    return "insert into " + tables.acks() + " (k, op, fp, `row`) values (?, ?, ?, ?)";
  }

  private static void bind(PreparedStatement insert, Ack ack) throws SQLException {
    insert.setString(1, ack.key());
    insert.setString(2, ack.type().label());
    if (ack.row() == null) {
      insert.setNull(3, java.sql.Types.BIGINT);
      insert.setNull(4, java.sql.Types.LONGVARCHAR);
    } else {
      insert.setLong(3, ack.fingerprint());
      insert.setString(4, ack.row());
    }
    insert.addBatch();
  }

  /**
   * Folds the acknowledgements up to the last sequence number seen into the delivered table, in one
   * transaction: each key's last acknowledgement wins, a removal removes. Acks committed meanwhile
   * by the senders have higher numbers and wait for the next fold.
   *
   * <p>No grouping by key (a million keys made a grouped fold spill to disk): the acks are upserted
   * in sequence order, so a later one overwrites an earlier one, a removal as an empty row (never a
   * delivered row's JSON), and then the keys whose last acknowledgement was a removal are deleted.
   */
  void mergeAcks() {
    try {
      long last = Jdbc.longOf(writer, "select coalesce(max(seq), 0) from " + tables.acks());
      if (last == 0) {
        return;
      }
      transaction(
          List.of(
              "insert into "
                  + tables.delivered()
                  + " (k, fp, `row`) select k, coalesce(fp, 0), if(op = 'removed', '', `row`) from "
                  + tables.acks()
                  + " where seq <= "
                  + last
                  + " order by seq on duplicate key update fp = values(fp), `row` = values(`row`)",
              "delete d from "
                  + tables.delivered()
                  + " d join "
                  + tables.acks()
                  + " a on a.k = d.k where a.seq <= "
                  + last
                  + " and a.op = 'removed' and d.`row` = ''",
              "delete from " + tables.acks() + " where seq <= " + last));
    } catch (SQLException e) {
      throw errors.failed("merging acknowledged rows in", e);
    }
  }

  /** Forgets the given delivered keys, or all of them; returns how many were delivered. */
  long forget(Optional<Collection<String>> keys) {
    try {
      writer.setAutoCommit(false);
      try {
        long n = 0;
        if (keys.isEmpty()) {
          try (PreparedStatement s = writer.prepareStatement("delete from " + tables.delivered())) {
            n = s.executeUpdate();
          }
        } else {
          try (PreparedStatement s =
              writer.prepareStatement("delete from " + tables.delivered() + " where k = ?")) {
            for (String key : keys.get()) {
              s.setString(1, key);
              n += s.executeUpdate();
            }
          }
        }
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

  private void transaction(List<String> statements) throws SQLException {
    writer.setAutoCommit(false);
    try {
      for (String statement : statements) {
        Jdbc.execute(writer, statement);
      }
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    } finally {
      writer.setAutoCommit(true);
    }
  }
}
