package io.rowstream.store.duckdb;

import io.rowstream.state.Ack;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The acknowledgements of a {@link DuckDbState} (table acks): appended durably as Kinesis
 * acknowledges rows, folded into the delivered state at the end of a run, or while it sends.
 *
 * <p>Its counters are guarded by the state's monitor ({@code lock}), the one {@link DuckDbState}'s
 * synchronized methods hold, so acknowledging, forgetting and closing still exclude each other.
 */
final class AckLog {
  /** Acknowledgements folded into the delivered state by one statement. */
  static final long ACKS_PER_MERGE = 2_000_000;

  private final DuckDbState state;

  /** Writes acknowledgements while the state's planning connection streams events. */
  private final DuckDBConnection writer;

  private final Object lock;

  private long ackSeq;

  /** Acks below this seq were folded by {@link #mergeSoFar}. */
  private long merged;

  AckLog(DuckDbState state, DuckDBConnection writer, Object lock) {
    this.state = state;
    this.writer = writer;
    this.lock = lock;
  }

  /** Durably records rows whose events were acknowledged: one commit per call. */
  void append(List<Ack> acks) {
    synchronized (lock) {
      if (acks.isEmpty()) {
        return;
      }
      // DuckDB appenders are confined to one thread; sender threads take turns, one appender a
      // call.
      try (DuckDBAppender appender = writer.createAppender("main", "acks")) {
        for (Ack ack : acks) {
          appender.beginRow().append(ackSeq++).append(ack.key()).append(ack.type().label());
          if (ack.row() == null) {
            appender.appendNull().appendNull();
          } else {
            appender.append(ack.fingerprint()).append(ack.row());
          }
          appender.endRow();
        }
        appender.flush();
      } catch (SQLException e) {
        throw state.failed("recording acknowledged rows in", e);
      }
    }
  }

  /** Folds every acknowledged row into the delivered state, in one transaction. */
  void mergeAll() {
    synchronized (lock) {
      List<String> statements = mergeStatements("", ackSeq);
      statements.add("delete from acks");
      state.transaction(writer, statements);
      ackSeq = 0;
      merged = 0;
    }
  }

  /**
   * Folds the acknowledgements recorded so far, on a connection of its own, without holding up
   * {@link #append}: the sending threads go on appending while it runs.
   *
   * <p>Why this is safe: the rows folded (seq below the mark) were committed by {@link #append}
   * before the mark was read under the lock, so they are acknowledged; the transaction folds them
   * and deletes them from acks at once, so a kill leaves either both or neither (then the next open
   * folds them). Each key is acknowledged at most once a run, so folding some keys now and the rest
   * in {@link #mergeAll} gives what one merge would. DuckDB lets the appends of {@link #append}
   * (new rows) and this transaction's deletes (older rows) commit side by side.
   */
  void mergeSoFar() {
    long from;
    long upTo;
    synchronized (lock) {
      from = merged;
      upTo = ackSeq;
    }
    if (upTo <= from) {
      return;
    }
    String range = "seq >= " + from + " and seq < " + upTo;
    List<String> statements = mergeStatements(range, upTo - from);
    statements.add("delete from acks where " + range);
    try (DuckDBConnection merger = (DuckDBConnection) writer.duplicate()) {
      state.transaction(merger, statements);
      checkpoint(merger);
    } catch (SQLException e) {
      throw state.failed("merging acknowledged rows in", e);
    }
    synchronized (lock) {
      merged = Math.max(merged, upTo);
    }
  }

  /**
   * Writes what was merged into the state file now, beside the last requests: closing the state
   * writes what changed since the last checkpoint (at 10M delivered rows, about 0.2 s for a run's
   * 100k changed rows), and would otherwise do it all after the last answer. Best effort: DuckDB
   * leaves a checkpoint it cannot take beside the appends to the close, which takes it anyway.
   */
  private static void checkpoint(DuckDBConnection on) {
    try (Statement s = on.createStatement()) {
      s.execute("checkpoint");
    } catch (SQLException ignored) {
      // the close checkpoints
    }
  }

  /**
   * Statements that fold the acks matching {@code where} (all when empty) into the delivered state:
   * in slices of about ACKS_PER_MERGE keys, so DuckDB's memory limit holds for 10M+ acks.
   */
  private static List<String> mergeStatements(String where, long acks) {
    long slices = 1 + acks / ACKS_PER_MERGE;
    List<String> statements = new ArrayList<>();
    for (long slice = 0; slice < slices; slice++) {
      List<String> filters = new ArrayList<>();
      if (!where.isEmpty()) {
        filters.add(where);
      }
      if (slices > 1) {
        filters.add("hash(pk) % " + slices + " = " + slice);
      }
      String filter = filters.isEmpty() ? "" : " where " + String.join(" and ", filters);
      statements.add("delete from delivered where pk in (select pk from acks" + filter + ")");
      statements.add(
          "insert into delivered (pk, h, row, ki) select pk, arg_max(h, seq), arg_max(row, seq), "
              + DeliveredKeys.integerOf("pk")
              + " from acks"
              + filter
              + " group by pk having arg_max(op, seq) <> 'removed'");
    }
    return statements;
  }
}
