package io.rowstream.state;

import java.util.List;
import java.util.Optional;

/**
 * The delivered state of one sync: for each primary key, the row (and its fingerprint) that Kinesis
 * last acknowledged. Opening it takes the sync's lease: one process at a time changes a sync; a
 * second is refused with a clear "in use" error.
 *
 * <p>Commit contract, in order:
 *
 * <ol>
 *   <li>Opening merges acknowledgements that a killed run left behind, so they count as delivered.
 *   <li>{@link #ack} durably records acknowledged rows before it returns (a row's state advances
 *       only after Kinesis acknowledged it; a kill at any instant loses nothing). Safe from several
 *       threads.
 *   <li>{@link #mergeAcks} folds the acknowledgements into the delivered state in one transaction;
 *       until then {@link #delivered} does not show them.
 *   <li>{@link #markInitialized} once a run completed: decides {@code initial_sync}.
 * </ol>
 */
public interface DeliveredState extends AutoCloseable {
  boolean initialized();

  void markInitialized();

  void ack(List<Ack> acks);

  void mergeAcks();

  /**
   * Folds the acknowledgements recorded so far into the delivered state while {@link #ack} goes on
   * (from the sending threads), so that the end-of-run {@link #mergeAcks} has less to do; one
   * transaction, never concurrent with another merge. Only between the end of a plan's reads of the
   * delivered state and {@link #mergeAcks}, and only while each key is acknowledged at most once
   * (one event a key a run). A store that cannot does nothing: {@link #mergeAcks} folds everything.
   */
  default void mergeAcksSoFar() {}

  /** The delivered row of {@code key}, if it was delivered. */
  Optional<DeliveredRow> delivered(String key);

  /** How many rows are delivered. */
  long deliveredCount();

  /** The stream and key column the delivered rows were recorded for; empty before the first run. */
  Optional<SyncIdentity> identity();

  /** Records the stream and key column of the delivered rows (after a run that delivered). */
  void recordIdentity(SyncIdentity identity);

  /**
   * Forgets the delivered rows of {@code keys} (every row when empty), so the next run sends them
   * as added: a full or partial resync. Returns how many rows were forgotten.
   */
  long forget(Optional<java.util.Collection<String>> keys);

  /** Closes without merging: what was acknowledged is merged by the next open. */
  @Override
  void close();

  /** A row as delivered: its JSON text and its fingerprint in the planner's scheme. */
  record DeliveredRow(String key, String row, long fingerprint) {}
}
