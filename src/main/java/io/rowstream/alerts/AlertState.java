package io.rowstream.alerts;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.AlertsConfig.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What alerting keeps per sync between runs and restarts: each trigger's state, what each recipient
 * was last told, the run figures the triggers compare with, and the notifications sent with their
 * outcome (newest last, at most {@link #MAX_NOTIFICATIONS}).
 *
 * @param delivered per {@code TRIGGER/CHANNEL}: the level that channel was last told successfully
 */
public record AlertState(
    Map<Trigger, TriggerState> triggers,
    Map<String, Level> delivered,
    RunFigures figures,
    List<SentNotification> notifications) {

  public static final int MAX_NOTIFICATIONS = 200;
  public static final AlertState EMPTY =
      new AlertState(Map.of(), Map.of(), RunFigures.NONE, List.of());

  public AlertState {
    triggers = Map.copyOf(triggers);
    delivered = Map.copyOf(delivered);
    requireNonNull(figures, "figures is null");
    notifications =
        List.copyOf(
            notifications.size() <= MAX_NOTIFICATIONS
                ? notifications
                : notifications.subList(
                    notifications.size() - MAX_NOTIFICATIONS, notifications.size()));
  }

  /** As stored: {@code triggers}, {@code delivered}, {@code figures}, {@code notifications}. */
  public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
    return DocumentAlertStore.write(this);
  }

  public Level level(Trigger trigger) {
    return Optional.ofNullable(triggers.get(trigger)).map(TriggerState::level).orElse(Level.OK);
  }

  static String deliveredKey(Trigger trigger, String channel) {
    return trigger.code() + "/" + channel;
  }

  AlertState withTriggers(Map<Trigger, TriggerState> changed) {
    Map<Trigger, TriggerState> all = new LinkedHashMap<>(triggers);
    all.putAll(changed);
    return new AlertState(all, delivered, figures, notifications);
  }

  AlertState withFigures(RunFigures f) {
    return new AlertState(triggers, delivered, f, notifications);
  }

  AlertState withOutcomes(List<SentNotification> sent) {
    Map<String, Level> d = new LinkedHashMap<>(delivered);
    List<SentNotification> log = new ArrayList<>(notifications);
    for (SentNotification s : sent) {
      if (s.delivered() && !s.test()) {
        d.put(deliveredKey(Trigger.of(s.trigger()), s.channel()), s.level());
      }
      log.add(s);
    }
    return new AlertState(triggers, d, figures, log);
  }

  /** A trigger's state: since when, why, and the run that set it (none for stale). */
  public record TriggerState(Level level, Instant since, String reason, Optional<String> runId) {
    public TriggerState {
      requireNonNull(level, "level is null");
      requireNonNull(since, "since is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(runId, "runId is null");
    }
  }

  /**
   * The figures of earlier runs the triggers need.
   *
   * @param durationsMillis of the last {@link #KEPT_DURATIONS} completed runs, oldest first
   * @param lastCompletedRows rows_queried of the last completed run
   * @param lastCompletedAt when the last completed run finished
   * @param firstSeen when alerting first saw the sync (stale counts from there before any run)
   */
  public record RunFigures(
      List<Long> durationsMillis,
      Optional<Long> lastCompletedRows,
      Optional<Instant> lastCompletedAt,
      Optional<Instant> firstSeen) {
    public static final int KEPT_DURATIONS = 10;
    public static final RunFigures NONE =
        new RunFigures(List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    public RunFigures {
      durationsMillis =
          List.copyOf(
              durationsMillis.size() <= KEPT_DURATIONS
                  ? durationsMillis
                  : durationsMillis.subList(
                      durationsMillis.size() - KEPT_DURATIONS, durationsMillis.size()));
      requireNonNull(lastCompletedRows, "lastCompletedRows is null");
      requireNonNull(lastCompletedAt, "lastCompletedAt is null");
      requireNonNull(firstSeen, "firstSeen is null");
    }

    RunFigures afterCompletedRun(long durationMillis, long rows, Instant finished) {
      List<Long> d = new ArrayList<>(durationsMillis);
      d.add(durationMillis);
      return new RunFigures(
          d, Optional.of(rows), Optional.of(finished), firstSeen.or(() -> Optional.of(finished)));
    }

    RunFigures seen(Instant now) {
      return firstSeen.isPresent()
          ? this
          : new RunFigures(durationsMillis, lastCompletedRows, lastCompletedAt, Optional.of(now));
    }
  }

  /**
   * One notification to one channel and how its delivery went.
   *
   * @param detail the last error when not delivered (never a secret), else empty text
   */
  public record SentNotification(
      Instant at,
      String trigger,
      String channel,
      Level previous,
      Level level,
      Optional<String> runId,
      boolean delivered,
      int attempts,
      String detail,
      boolean test) {
    public SentNotification {
      requireNonNull(at, "at is null");
      requireNonNull(trigger, "trigger is null");
      requireNonNull(channel, "channel is null");
      requireNonNull(previous, "previous is null");
      requireNonNull(level, "level is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(detail, "detail is null");
    }

    /** {@code sent (1 attempt)}, {@code FAILED after 4 attempts: Slack answered HTTP 500}. */
    public String outcome() {
      String tries = attempts + (attempts == 1 ? " attempt" : " attempts");
      return delivered ? "sent (" + tries + ")" : "FAILED after " + tries + ": " + detail;
    }
  }
}
