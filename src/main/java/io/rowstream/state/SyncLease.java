package io.rowstream.state;

/**
 * A sync's lease: while it is held, this process alone changes the sync's state; a second holder is
 * refused with {@code STATE_LOCKED}. A lease whose holder died becomes free: the embedded state's
 * is a file lock (released by the OS), a shared state's dies with its database session or expires
 * unless renewed. Released by {@link #close} (closing the state that holds it).
 */
public interface SyncLease {
  /** The sync this lease is for. */
  String sync();

  /** Whether it is still held: false once lost (its session died, or it expired unrenewed). */
  boolean held();
}
