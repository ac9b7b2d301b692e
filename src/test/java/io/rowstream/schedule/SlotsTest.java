package io.rowstream.schedule;

import static io.rowstream.schedule.SchedulerTest.every;
import static io.rowstream.schedule.SchedulerTest.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The syncs a scheduler knows: reconfiguring, first runs spread, after: chains. */
class SlotsTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:07:00Z");
  private final Slots slots = new Slots();

  @Test
  void aSyncSeenBeforeKeepsItsSlotAndARemovedOneIsHandedBack() {
    slots.configure(
        List.of(
            sync("a", every(Duration.ofMinutes(5)), false),
            sync("b", every(Duration.ofMinutes(5)), false)),
        Map.of(),
        NOW);
    Slot a = slots.get("a");
    Slot b = slots.get("b");

    List<Slot> removed =
        slots.configure(List.of(sync("a", every(Duration.ofMinutes(5)), false)), Map.of(), NOW);

    assertThat(removed).containsExactly(b);
    assertThat(slots.get("a")).isSameAs(a);
    assertThat(slots.get("b")).isNull();
  }

  @Test
  void newEverySyncsThatNeverRanHaveTheirFirstRunsSpreadOverAMinute() {
    slots.configure(
        List.of(
            sync("a", every(Duration.ofMinutes(10)), false),
            sync("b", every(Duration.ofMinutes(10)), false),
            sync("c", every(Duration.ofMinutes(10)), false)),
        Map.of(),
        NOW);

    assertThat(List.of(slots.get("a").nextFire, slots.get("b").nextFire, slots.get("c").nextFire))
        .containsExactly(NOW, NOW.plusSeconds(20), NOW.plusSeconds(40));
  }

  @Test
  void anAfterSyncIsDueOnlyWhenEverySyncItWaitsForSucceededSinceItLastStarted() {
    slots.configure(
        List.of(
            sync("a", every(Duration.ofMinutes(10)), false),
            sync("b", every(Duration.ofMinutes(10)), false),
            sync("c", new ScheduleSpec.After(List.of("a", "b")), false)),
        Map.of(),
        NOW);
    slots.get("c").lastStarted = NOW;

    slots.get("a").lastSucceeded = NOW.plusSeconds(1);
    assertThat(slots.dependents("a")).as("b has not succeeded yet").isEmpty();

    slots.get("b").lastSucceeded = NOW.plusSeconds(2);
    assertThat(slots.dependents("b")).containsExactly("c");
    assertThat(slots.dependents("c")).isEmpty();

    slots.get("c").pauseOverride = true;
    assertThat(slots.dependents("b")).as("a paused sync waits").isEmpty();
  }
}
