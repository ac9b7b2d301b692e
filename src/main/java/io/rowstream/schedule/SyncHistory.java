package io.rowstream.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * What the scheduler needs to know of a sync's past when the service starts: when it last started
 * (a missed schedule since then means one catch-up run) and last succeeded (for {@code after:}).
 */
public record SyncHistory(Optional<Instant> lastStarted, Optional<Instant> lastSucceeded) {
  public static final SyncHistory NONE = new SyncHistory(Optional.empty(), Optional.empty());
}
