package io.rowstream.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.rowstream.config.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** The fire times of one time-based schedule (cron in UTC, or every N); nothing for the others. */
final class Timing {
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** New syncs on an every schedule start within this much of the service's start. */
  static final Duration FIRST_RUN_SPREAD = Duration.ofMinutes(1);

  private final ScheduleSpec spec;
  private final ExecutionTime cron;

  Timing(ScheduleSpec spec) {
    this.spec = spec;
    this.cron =
        spec instanceof ScheduleSpec.Cron c
            ? ExecutionTime.forCron(CRON.parse(c.expression()))
            : null;
  }

  boolean timeBased() {
    return spec instanceof ScheduleSpec.Cron || spec instanceof ScheduleSpec.Every;
  }

  /** The first fire time after {@code after}, strictly. */
  Optional<Instant> next(Instant after) {
    if (cron != null) {
      return cron.nextExecution(after.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
    }
    if (spec instanceof ScheduleSpec.Every every) {
      return Optional.of(after.plus(every.period()));
    }
    return Optional.empty();
  }

  /**
   * When to fire first, for a service starting at {@code now}: a schedule missed since the last
   * start fires once, now (one catch-up, not a burst); an every schedule that never ran fires
   * within its first minute (at most its period), the {@code k}-th of {@code n} such syncs
   * configured together at k/n of that window, so many new syncs on one period are spread evenly
   * rather than all due at once (as the hosted services spread interval schedules).
   */
  Optional<Instant> first(Optional<Instant> lastStarted, Instant now, int k, int n) {
    if (!timeBased()) {
      return Optional.empty();
    }
    if (lastStarted.isEmpty()) {
      if (spec instanceof ScheduleSpec.Every every && n > 0 && k > 0) {
        long window = Math.min(every.period().toMillis(), FIRST_RUN_SPREAD.toMillis());
        return Optional.of(now.plusMillis(window * k / n));
      }
      return spec instanceof ScheduleSpec.Every ? Optional.of(now) : next(now);
    }
    return next(lastStarted.get()).map(t -> t.isAfter(now) ? t : now);
  }

  /**
   * The fire {@code due} as every worker of a shared state names it, so that they claim it once: a
   * cron time as it is (the grid is the same everywhere); an every schedule's time rounded down to
   * its period (each worker fires once a period, from its own start, so one per period wins).
   */
  Instant claimed(Instant due) {
    if (spec instanceof ScheduleSpec.Every every) {
      long period = every.period().toMillis();
      return Instant.ofEpochMilli(Math.floorDiv(due.toEpochMilli(), period) * period);
    }
    return due;
  }

  /**
   * After firing the one that was due at {@code due}, seen at {@code now}: skips every missed one.
   */
  Optional<Instant> following(Instant due, Instant now) {
    if (spec instanceof ScheduleSpec.Every every) {
      Instant next = due.plus(every.period());
      return Optional.of(next.isAfter(now) ? next : now.plus(every.period()));
    }
    return next(now);
  }
}
