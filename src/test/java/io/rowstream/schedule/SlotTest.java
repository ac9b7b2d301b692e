package io.rowstream.schedule;

import static io.rowstream.schedule.SchedulerTest.every;
import static io.rowstream.schedule.SchedulerTest.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One sync's schedule: its next fire, its pause, what the API sees of it. */
class SlotTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:07:00Z");

  @Test
  void aScheduleMissedSinceTheLastStartFiresOnceAsACatchUp() {
    Slot slot =
        Slot.from(new SyncHistory(Optional.of(NOW.minus(Duration.ofHours(3))), Optional.empty()));

    slot.configure(sync("a", every(Duration.ofMinutes(10)), false), NOW, -1, 0);

    assertThat(slot.nextFire).isEqualTo(NOW);
    assertThat(slot.nextCause).isEqualTo(Trigger.CATCH_UP);
    assertThat(slot.claimedFire())
        .as("claimed as the first fire missed, on the period's grid")
        .isEqualTo(Instant.parse("2026-12-02T07:10:00Z"));
  }

  @Test
  void anUnchangedScheduleKeepsItsNextFireAndAChangedOneStartsAgain() {
    Slot slot = Slot.from(SyncHistory.NONE);
    slot.configure(sync("a", new ScheduleSpec.Cron("0 * * * *"), false), NOW, -1, 0);
    assertThat(slot.nextFire).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));

    slot.configure(
        sync("a", new ScheduleSpec.Cron("0 * * * *"), false), NOW.plusSeconds(60), -1, 0);
    assertThat(slot.nextFire).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));

    slot.configure(sync("a", new ScheduleSpec.Cron("30 * * * *"), false), NOW, -1, 0);
    assertThat(slot.nextFire).isEqualTo(Instant.parse("2026-12-02T10:30:00Z"));
    assertThat(slot.nextCause).isEqualTo(Trigger.SCHEDULE);
  }

  @Test
  void anEditedPausedInTheConfigWinsOverThePauseAskedThroughTheApi() {
    Slot slot = Slot.from(SyncHistory.NONE);
    slot.configure(sync("a", every(Duration.ofMinutes(10)), false), NOW, -1, 0);
    slot.pauseOverride = true;
    assertThat(slot.paused()).isTrue();

    slot.configure(sync("a", every(Duration.ofMinutes(10)), false), NOW, -1, 0);
    assertThat(slot.paused()).as("paused: not edited, the API's pause stays").isTrue();

    slot.configure(sync("a", every(Duration.ofMinutes(10)), true), NOW, -1, 0);
    slot.configure(sync("a", every(Duration.ofMinutes(10)), false), NOW, -1, 0);
    assertThat(slot.pauseOverride).isNull();
    assertThat(slot.paused()).isFalse();
  }

  @Test
  void thePausedSyncsViewShowsNoNextRun() {
    Slot slot = Slot.from(new SyncHistory(Optional.empty(), Optional.of(NOW)));
    slot.configure(sync("a", every(Duration.ofMinutes(10)), true), NOW, -1, 0);

    Scheduler.SyncView view = slot.view("a");

    assertThat(view.paused()).isTrue();
    assertThat(view.nextRun()).isEmpty();
    assertThat(view.lastSucceeded()).contains(NOW);
    assertThat(slot.runs()).isEmpty();
  }
}
