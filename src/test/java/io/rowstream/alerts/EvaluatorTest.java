package io.rowstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.alerts.AlertState.RunFigures;
import io.rowstream.alerts.Evaluator.Verdict;
import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Thresholds;
import io.rowstream.core.EventType;
import io.rowstream.run.EventCounts;
import io.rowstream.run.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Thresholds as counts, shares, durations and factors. */
class EvaluatorTest {
  private static RunSummary run(long planned, long invalid, Map<String, Long> rejections) {
    return RunSummary.builder("customers", "r1", RunSummary.Status.COMPLETED_WITH_ERRORS)
        .startedAt("2026-11-25T10:00:00Z")
        .finishedAt("2026-11-25T10:00:04Z")
        .rowsQueried(1000)
        .events(
            Map.of(
                EventType.ADDED,
                new EventCounts(planned, planned, 0),
                EventType.REMOVED,
                new EventCounts(planned, planned, 0)))
        .invalid(invalid)
        .rejections(rejections)
        .build();
  }

  private static <T> Thresholds<T> th(T warning, T critical) {
    return new Thresholds<>(Optional.ofNullable(warning), Optional.ofNullable(critical));
  }

  @Test
  void aCountIsReachedAtExactlyThatManyRejectedRows() {
    Thresholds<Amount> t = th(new Amount.Count(3), new Amount.Count(10));
    assertThat(Evaluator.rejectedRows(t, run(50, 0, Map.of("invalid_json", 2L))).level())
        .isEqualTo(Level.OK);
    assertThat(Evaluator.rejectedRows(t, run(50, 0, Map.of("invalid_json", 3L))).level())
        .isEqualTo(Level.WARNING);
    assertThat(
            Evaluator.rejectedRows(
                    t, run(50, 0, Map.of("invalid_json", 4L, "record_too_large", 6L)))
                .level())
        .isEqualTo(Level.CRITICAL);
  }

  @Test
  void aShareIsOfTheRowsTheRunTriedToSendNotOfTheRowsQueried() {
    // 2 x 45 planned + 10 invalid = 100 rows tried; 1000 queried
    Thresholds<Amount> t = th(new Amount.Share(5), new Amount.Share(20));
    Verdict four = Evaluator.rejectedRows(t, run(45, 10, Map.of("duplicate_primary_key", 4L)));
    Verdict five = Evaluator.rejectedRows(t, run(45, 10, Map.of("duplicate_primary_key", 5L)));
    Verdict twenty = Evaluator.rejectedRows(t, run(45, 10, Map.of("duplicate_primary_key", 20L)));
    assertThat(four.level()).isEqualTo(Level.OK);
    assertThat(five.level()).isEqualTo(Level.WARNING);
    assertThat(five.reason())
        .isEqualTo(
            "5 of 100 rows the run tried to send were rejected (5.0%): "
                + "duplicate_primary_key 5; WARNING at 5%, CRITICAL at 20%");
    assertThat(twenty.level()).isEqualTo(Level.CRITICAL);
  }

  @Test
  void aShareNeverFiresWithoutARejectedRow() {
    Thresholds<Amount> t = th(new Amount.Share(0.5), null);
    assertThat(Evaluator.rejectedRows(t, run(0, 0, Map.of())).level()).isEqualTo(Level.OK);
  }

  @Test
  void aCountWarningAndAShareCriticalWorkTogether() {
    Thresholds<Amount> t = th(new Amount.Count(1), new Amount.Share(10));
    assertThat(Evaluator.rejectedRows(t, run(500, 0, Map.of("x", 1L))).level())
        .isEqualTo(Level.WARNING);
    assertThat(Evaluator.rejectedRows(t, run(500, 0, Map.of("x", 100L))).level())
        .isEqualTo(Level.CRITICAL);
  }

  @Test
  void aFactorNeedsThreeEarlierRunsAndComparesWithTheirMedian() {
    Thresholds<SlowBy> t = th(new SlowBy.Factor(3), null);
    assertThat(Evaluator.slowRun(t, 100_000, List.of(1000L, 1000L)).level()).isEqualTo(Level.OK);
    assertThat(Evaluator.slowRun(t, 3_000, List.of(1000L, 900L, 5000L)).level())
        .isEqualTo(Level.OK);
    assertThat(Evaluator.slowRun(t, 3_001, List.of(1000L, 900L, 5000L)).level())
        .isEqualTo(Level.WARNING);
  }

  @Test
  void aDurationIsAnAbsoluteLimit() {
    Thresholds<SlowBy> t =
        th(new SlowBy.Longer(Duration.ofMinutes(30)), new SlowBy.Longer(Duration.ofHours(1)));
    assertThat(Evaluator.slowRun(t, Duration.ofMinutes(30).toMillis(), List.of()).level())
        .isEqualTo(Level.OK);
    assertThat(Evaluator.slowRun(t, Duration.ofMinutes(31).toMillis(), List.of()).level())
        .isEqualTo(Level.WARNING);
    Verdict critical = Evaluator.slowRun(t, Duration.ofMinutes(61).toMillis(), List.of());
    assertThat(critical.level()).isEqualTo(Level.CRITICAL);
    assertThat(critical.reason()).isEqualTo("the run took 1h1m; WARNING at 30m, CRITICAL at 1h");
  }

  @Test
  void aDataDropIsMoreThanThePercentageSinceTheLastCompletedRun() {
    Thresholds<Integer> t = th(20, 50);
    assertThat(Evaluator.dataDrop(t, 800, Optional.of(1000L)).level()).isEqualTo(Level.OK);
    assertThat(Evaluator.dataDrop(t, 799, Optional.of(1000L)).level()).isEqualTo(Level.WARNING);
    assertThat(Evaluator.dataDrop(t, 0, Optional.of(1000L)).level()).isEqualTo(Level.CRITICAL);
    assertThat(Evaluator.dataDrop(t, 5000, Optional.of(1000L)).level()).isEqualTo(Level.OK);
    assertThat(Evaluator.dataDrop(t, 0, Optional.empty()).level()).isEqualTo(Level.OK);
  }

  @Test
  void staleCountsFromTheLastCompletedRunOrFromWhenTheSyncWasFirstSeen() {
    Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
    Thresholds<Duration> t = th(Duration.ofHours(1), Duration.ofHours(6));
    RunFigures ran = new RunFigures(List.of(), Optional.of(10L), Optional.of(t0), Optional.of(t0));
    RunFigures never =
        new RunFigures(List.of(), Optional.empty(), Optional.empty(), Optional.of(t0));
    assertThat(Evaluator.stale(t, ran, t0.plus(Duration.ofMinutes(59))).level())
        .isEqualTo(Level.OK);
    assertThat(Evaluator.stale(t, ran, t0.plus(Duration.ofHours(2))).level())
        .isEqualTo(Level.WARNING);
    assertThat(Evaluator.stale(t, never, t0.plus(Duration.ofHours(7))).level())
        .isEqualTo(Level.CRITICAL);
  }

  @Test
  void aCancelledRunDecidesNothingAndAFailedRunOnlyFatalError() {
    RunSummary cancelled =
        RunSummary.builder("customers", "r", RunSummary.Status.CANCELLED)
            .startedAt("2026-11-25T10:00:00Z")
            .finishedAt("2026-11-25T10:00:01Z")
            .build();
    RunSummary failed =
        RunSummary.builder("customers", "r", RunSummary.Status.FAILED)
            .startedAt("2026-11-25T10:00:00Z")
            .finishedAt("2026-11-25T10:00:01Z")
            .error("boom")
            .build();
    var triggers = io.rowstream.config.AlertsConfig.Triggers.DEFAULTS;
    assertThat(Evaluator.afterRun(triggers, cancelled, RunFigures.NONE)).isEmpty();
    assertThat(Evaluator.afterRun(triggers, failed, RunFigures.NONE))
        .containsExactly(
            Map.entry(Trigger.FATAL_ERROR, new Verdict(Level.CRITICAL, "the run failed: boom")));
  }

  @Test
  void theErrorCodeOfAFailedRunIsRecognizedFromItsMessage() {
    assertThat(
            RunErrorCode.fromMessage(
                "stream 'x' was not found in region us-east-1 (destination d); create it"))
        .contains(io.rowstream.core.ErrorCode.STREAM_NOT_FOUND);
    assertThat(
            RunErrorCode.fromMessage(
                "cannot reach the Kinesis endpoint in region us-east-1: refused"))
        .contains(io.rowstream.core.ErrorCode.ENDPOINT_UNREACHABLE);
    assertThat(RunErrorCode.fromMessage("source model: query failed: Catalog Error"))
        .contains(io.rowstream.core.ErrorCode.SOURCE_QUERY_FAILED);
    assertThat(RunErrorCode.fromMessage("something new")).isEmpty();
  }
}
