package io.rowstream.alerts;

import io.rowstream.alerts.AlertState.RunFigures;
import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.Durations;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Thresholds;
import io.rowstream.config.AlertsConfig.Triggers;
import io.rowstream.core.EventType;
import io.rowstream.run.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Pure functions from a run (or the clock) and the earlier figures to each trigger's level. */
final class Evaluator {
  /** A factor threshold of slow_run needs this many earlier runs to compare with. */
  static final int MIN_RUNS_FOR_MEDIAN = 3;

  private Evaluator() {}

  /** A trigger's level and why. */
  record Verdict(Level level, String reason) {}

  /**
   * The verdicts a run gives. A failed run decides fatal_error only (its counts are partial); a
   * cancelled run decides nothing; a completed run decides every trigger.
   */
  static Map<Trigger, Verdict> afterRun(Triggers t, RunSummary run, RunFigures before) {
    Map<Trigger, Verdict> v = new EnumMap<>(Trigger.class);
    switch (run.status()) {
      case CANCELLED -> {
        return v;
      }
      case FAILED -> {
        v.put(
            Trigger.FATAL_ERROR,
            new Verdict(Level.CRITICAL, "the run failed: " + run.error().orElse("no message")));
        return v;
      }
      default ->
          v.put(Trigger.FATAL_ERROR, new Verdict(Level.OK, "the run " + run.status().label()));
    }
    v.put(Trigger.REJECTED_ROWS, rejectedRows(t.rejectedRows(), run));
    v.put(Trigger.SLOW_RUN, slowRun(t.slowRun(), durationMillis(run), before.durationsMillis()));
    v.put(
        Trigger.DATA_DROP,
        dataDrop(t.dataDropPercent(), run.rowsQueried(), before.lastCompletedRows()));
    v.put(Trigger.STALE, new Verdict(Level.OK, "a run completed at " + run.finishedAt()));
    return v;
  }

  static long durationMillis(RunSummary run) {
    try {
      return Math.max(
          0,
          Duration.between(Instant.parse(run.startedAt()), Instant.parse(run.finishedAt()))
              .toMillis());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The rows a run tried to send: planned events plus rows that could not be sent at all. */
  static long attempted(RunSummary run) {
    long planned = 0;
    for (EventType type : EventType.values()) {
      planned += run.counts(type).planned();
    }
    return planned + run.invalid();
  }

  static Verdict rejectedRows(Thresholds<Amount> th, RunSummary run) {
    long rejected = run.rejected();
    long attempted = Math.max(attempted(run), rejected);
    String figures =
        rejected
            + " of "
            + attempted
            + " rows the run tried to send were rejected"
            + (attempted > 0 ? String.format(" (%.1f%%)", rejected * 100.0 / attempted) : "")
            + (rejected > 0
                ? ": "
                    + run.rejections().entrySet().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))
                : "");
    Level level = level(th, a -> a.reachedBy(rejected, attempted));
    return new Verdict(level, figures + thresholdsText(th, level));
  }

  static Verdict slowRun(Thresholds<SlowBy> th, long millis, List<Long> earlier) {
    Optional<Long> median =
        earlier.size() >= MIN_RUNS_FOR_MEDIAN ? Optional.of(median(earlier)) : Optional.empty();
    Level level =
        level(
            th,
            s -> {
              if (s instanceof SlowBy.Longer l) {
                return millis > l.limit().toMillis();
              }
              SlowBy.Factor f = (SlowBy.Factor) s;
              return median.isPresent() && median.get() > 0 && millis > f.factor() * median.get();
            });
    String text =
        "the run took "
            + human(millis)
            + median
                .map(
                    m ->
                        ", "
                            + String.format("%.1fx", m == 0 ? 0.0 : millis / (double) m)
                            + " the median of the last "
                            + earlier.size()
                            + " runs ("
                            + human(m)
                            + ")")
                .orElse("");
    return new Verdict(level, text + thresholdsText(th, level));
  }

  static Verdict dataDrop(Thresholds<Integer> th, long rows, Optional<Long> before) {
    if (before.isEmpty() || before.get() <= 0) {
      return new Verdict(
          Level.OK, rows + " rows queried; no earlier completed run with rows to compare with");
    }
    long prev = before.get();
    double drop = (prev - rows) * 100.0 / prev;
    Level level = level(th, p -> drop > p);
    String text =
        drop > 0
            ? String.format(
                "rows_queried fell %.1f%% since the last completed run (from %d to %d)",
                drop, prev, rows)
            : "rows_queried is " + rows + " (" + prev + " in the last completed run)";
    return new Verdict(
        level,
        text
            + thresholdsText(
                new Thresholds<>(th.warning().map(w -> w + "%"), th.critical().map(c -> c + "%")),
                level));
  }

  static Verdict stale(Thresholds<Duration> th, RunFigures f, Instant now) {
    Optional<Instant> since = f.lastCompletedAt().or(f::firstSeen);
    if (since.isEmpty()) {
      return new Verdict(Level.OK, "not seen before");
    }
    Duration age = Duration.between(since.get(), now);
    Level level = level(th, d -> age.compareTo(d) > 0);
    Thresholds<String> shown =
        new Thresholds<>(th.warning().map(Durations::format), th.critical().map(Durations::format));
    String text =
        f.lastCompletedAt().isPresent()
            ? "no completed run for "
                + human(age.toMillis())
                + " (the last finished at "
                + since.get()
                + ")"
            : "no completed run since alerting started watching the sync "
                + human(age.toMillis())
                + " ago";
    return new Verdict(level, text + thresholdsText(shown, level));
  }

  private static <T> Level level(Thresholds<T> th, java.util.function.Predicate<T> reached) {
    if (th.critical().filter(reached).isPresent()) {
      return Level.CRITICAL;
    }
    return th.warning().filter(reached).isPresent() ? Level.WARNING : Level.OK;
  }

  private static String thresholdsText(Thresholds<?> th, Level level) {
    if (th.isOff()) {
      return "; trigger off";
    }
    List<String> parts = new ArrayList<>();
    th.warning().ifPresent(w -> parts.add("WARNING at " + w));
    th.critical().ifPresent(c -> parts.add("CRITICAL at " + c));
    return "; " + String.join(", ", parts);
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String human(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format("%.1fs", millis / 1000.0);
    }
    return Durations.format(Duration.ofSeconds(millis / 1000));
  }
}
