package io.rowstream.alerts.channel;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.run.RunSummary;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One change of a trigger's state, as one recipient sees it: {@code previous} is what that
 * recipient was last told, {@code level} the state now ({@link Level#OK} is a recovery).
 *
 * @param id unique per notification: the webhook's idempotency key
 * @param reason why the trigger is in this state, in words, with the figures and thresholds
 * @param run the run that changed the state; empty for {@code stale} and test notifications
 * @param errorCode the code of the run's error ({@code io.rowstream.core.ErrorCode#code()})
 * @param link the run in the web UI, when {@code server.public_url} is set
 */
public record Notification(
    String id,
    String sync,
    String trigger,
    Level level,
    Level previous,
    String reason,
    Instant at,
    Optional<RunSummary> run,
    Optional<String> errorCode,
    Optional<URI> link,
    boolean test) {

  public Notification {
    requireNonNull(id, "id is null");
    requireNonNull(sync, "sync is null");
    requireNonNull(trigger, "trigger is null");
    requireNonNull(level, "level is null");
    requireNonNull(previous, "previous is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(at, "at is null");
    requireNonNull(run, "run is null");
    requireNonNull(errorCode, "errorCode is null");
    requireNonNull(link, "link is null");
  }

  public boolean recovery() {
    return level == Level.OK;
  }

  /**
   * {@code [CRITICAL] customers: fatal_error}, {@code [OK] customers: fatal_error recovered (was
   * CRITICAL)}.
   */
  public String title() {
    if (test) {
      return "[TEST] rowstream: test notification";
    }
    return "["
        + level
        + "] "
        + sync
        + ": "
        + trigger
        + (recovery() ? " recovered (was " + previous + ")" : "");
  }
}
