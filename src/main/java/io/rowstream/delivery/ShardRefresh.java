package io.rowstream.delivery;

import java.time.Duration;

/**
 * When the producer lists the stream's shards again: a stored entry on another shard than the map
 * predicts means the stream was resharded; the map is listed again at most once per interval. Not
 * thread-safe: the producer uses it under its lock.
 */
final class ShardRefresh {
  private final long intervalNanos;
  private long lastListed;
  private boolean wanted;

  ShardRefresh(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** The shards were listed at {@code now}. */
  void listed(long now) {
    lastListed = now;
  }

  /** Whether a listing is wanted; true once, then false until the next is wanted. */
  boolean take() {
    boolean was = wanted;
    wanted = false;
    return was;
  }

  /**
   * A record predicted for {@code predicted} was stored on {@code actual} (either may be null when
   * not known).
   *
   * @return whether a listing is wanted from now on (it was not before)
   */
  boolean notice(String predicted, String actual, long now) {
    if (predicted != null && !predicted.equals(actual) && now - lastListed >= intervalNanos) {
      lastListed = now;
      wanted = true;
      return true;
    }
    return false;
  }

  boolean wanted() {
    return wanted;
  }
}
