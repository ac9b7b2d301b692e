package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  @Test
  void aSummaryBuiltWithDefaultsIsAnOrdinaryRunWithNothingCounted() {
    RunSummary summary =
        RunSummary.builder("customers", "r1", RunSummary.Status.SUCCEEDED)
            .startedAt("2026-12-02T10:00:00Z")
            .finishedAt("2026-12-02T10:00:01Z")
            .build();

    assertThat(summary.toJson().toString())
        .isEqualTo(
            "{\"sync\":\"customers\",\"run_id\":\"r1\",\"status\":\"succeeded\","
                + "\"started_at\":\"2026-12-02T10:00:00Z\",\"finished_at\":\"2026-12-02T10:00:01Z\","
                + "\"rows_queried\":0,"
                + "\"added\":{\"planned\":0,\"sent\":0,\"rejected\":0},"
                + "\"changed\":{\"planned\":0,\"sent\":0,\"rejected\":0},"
                + "\"removed\":{\"planned\":0,\"sent\":0,\"rejected\":0},"
                + "\"skipped\":0,\"invalid\":0,\"rejections\":{},\"error\":null,\"error_code\":null}");
    assertThat(summary.fullResync()).isFalse();
  }

  @Test
  void toBuilderKeepsEveryFieldButThoseChanged() {
    RunSummary full =
        RunSummary.builder("customers", "r2", RunSummary.Status.FAILED)
            .startedAt("2026-12-02T10:00:00Z")
            .finishedAt("2026-12-02T10:00:09Z")
            .rowsQueried(1_000)
            .events(Map.of(EventType.ADDED, new EventCounts(10, 8, 2)))
            .skipped(3)
            .invalid(1)
            .rejections(Map.of("ValidationException", 2L))
            .error("key AKIAEXAMPLE refused")
            .errorCode(Optional.of(ErrorCode.ENDPOINT_UNREACHABLE))
            .fullResyncForgot(Optional.of(1_000L))
            .build();

    RunSummary scrubbed = full.toBuilder().error("key *** refused").build();

    assertThat(scrubbed)
        .isEqualTo(
            new RunSummary(
                "customers",
                "r2",
                RunSummary.Status.FAILED,
                "2026-12-02T10:00:00Z",
                "2026-12-02T10:00:09Z",
                1_000,
                Map.of(EventType.ADDED, new EventCounts(10, 8, 2)),
                3,
                1,
                Map.of("ValidationException", 2L),
                Optional.of("key *** refused"),
                Optional.of(ErrorCode.ENDPOINT_UNREACHABLE),
                Optional.of(1_000L)));
  }

  @Test
  void aSummaryWithoutItsTimesIsRefusedNamingTheMissingOne() {
    assertThatThrownBy(
            () ->
                RunSummary.builder("customers", "r3", RunSummary.Status.SUCCEEDED)
                    .startedAt("2026-12-02T10:00:00Z")
                    .build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("finishedAt is not set");
  }
}
