package io.rowstream.alerts;

import java.util.Locale;

/** What a sync is evaluated against; each is OK, WARNING or CRITICAL. */
public enum Trigger {
  /** CRITICAL when a run fails; always on. */
  FATAL_ERROR,
  /** A count or share of the rows a run tried to send was rejected; always on. */
  REJECTED_ROWS,
  /** A run took longer than a duration, or than a factor of the median of the last 10 runs. */
  SLOW_RUN,
  /** rows_queried fell by more than a percentage since the last completed run. */
  DATA_DROP,
  /** No completed run for longer than a duration (checked by {@code serve}'s clock). */
  STALE;

  /** The name in config and notifications: {@code fatal_error}, ... */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Trigger of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
