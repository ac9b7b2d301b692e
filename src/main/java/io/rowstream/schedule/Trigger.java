package io.rowstream.schedule;

import java.util.Locale;

/** What asked for a run. */
public enum Trigger {
  /** The sync's cron or every schedule came due. */
  SCHEDULE,
  /** A schedule was missed while the service was down: one run for all of them. */
  CATCH_UP,
  /** Every sync of its {@code after:} list succeeded. */
  AFTER,
  /** The REST API (or the web UI through it). */
  API,
  /**
   * Another worker on the same state stopped renewing its lease on the sync mid-run (killed, cut
   * off): this one takes the sync over and sends the rest.
   */
  TAKEOVER;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
