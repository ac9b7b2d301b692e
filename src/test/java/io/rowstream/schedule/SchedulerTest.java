package io.rowstream.schedule;

import static io.rowstream.schedule.FakeLauncher.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.MessageSpec;
import io.rowstream.config.ScheduleSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final MutableClock clock = new MutableClock("2026-12-02T10:07:00Z");
  private final FakeLauncher launcher = new FakeLauncher();
  private final Scheduler scheduler = new Scheduler(clock, launcher, RunListener.NONE);

  @AfterEach
  void stop() {
    scheduler.shutdown(Duration.ofSeconds(5), "test over");
  }

  static SyncConfig sync(String name, ScheduleSpec schedule, boolean paused) {
    return new SyncConfig(
        name,
        "src",
        "select 1 as id",
        "id",
        "dest",
        "stream",
        EnumSet.allOf(EventType.class),
        new MessageSpec(MessageSpec.Mode.TEMPLATE, "{}", null, Map.of()),
        Optional.empty(),
        Optional.empty(),
        SyncConfig.InitialSync.BACKFILL,
        schedule,
        1024,
        paused);
  }

  static ScheduleSpec every(Duration d) {
    return new ScheduleSpec.Every(d, "every " + d.toMinutes() + "m");
  }

  private void configure(int maxConcurrent, Map<String, SyncHistory> history, SyncConfig... syncs) {
    scheduler.configure(List.of(syncs), maxConcurrent, history);
  }

  private void idle() {
    await("no run going", () -> scheduler.running() == 0);
  }

  @Test
  void cronFiresAtItsMinuteInUtcAndNotBefore() {
    configure(2, Map.of(), sync("a", new ScheduleSpec.Cron("*/15 * * * *"), false));
    assertThat(scheduler.view("a").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T10:15:00Z"));

    clock.set("2026-12-02T10:14:59Z");
    assertThat(scheduler.tick()).contains(Instant.parse("2026-12-02T10:15:00Z"));
    assertThat(launcher.started).isEmpty();

    clock.set("2026-12-02T10:15:00Z");
    scheduler.tick();
    await("the 10:15 run", () -> launcher.count("a") == 1);
    idle();
    ScheduledRun run = scheduler.view("a").orElseThrow().last().orElseThrow();
    assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULE);
    assertThat(run.due()).isEqualTo(Instant.parse("2026-12-02T10:15:00Z"));
    assertThat(run.status()).isEqualTo("succeeded");
    assertThat(scheduler.view("a").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T10:30:00Z"));
  }

  @Test
  void everyRunsANewSyncWithinItsFirstMinuteThenOncePerPeriod() {
    configure(2, Map.of(), sync("a", every(Duration.ofMinutes(15)), false));
    Instant first = scheduler.view("a").orElseThrow().nextRun().orElseThrow();
    assertThat(first).isBetween(clock.instant(), clock.instant().plusSeconds(59));
    clock.set(first.toString());
    scheduler.tick();
    await("the first run", () -> launcher.count("a") == 1);
    idle();
    clock.advance(Duration.ofMinutes(14));
    scheduler.tick();
    clock.advance(Duration.ofMinutes(1));
    scheduler.tick();
    await("the second run", () -> launcher.count("a") == 2);
    idle();
    assertThat(launcher.count("a")).isEqualTo(2);
    assertThat(scheduler.view("a").orElseThrow().nextRun())
        .contains(first.plus(Duration.ofMinutes(30)));
  }

  @Test
  void manyNewSyncsOnOnePeriodAreSpreadOverTheFirstMinute() {
    SyncConfig[] syncs = new SyncConfig[100];
    for (int i = 0; i < syncs.length; i++) {
      syncs[i] = sync("sync_" + i, every(Duration.ofMinutes(1)), false);
    }
    configure(2, Map.of(), syncs);
    long distinctSeconds =
        java.util.Arrays.stream(syncs)
            .map(
                s ->
                    scheduler.view(s.name()).orElseThrow().nextRun().orElseThrow().getEpochSecond())
            .distinct()
            .count();
    assertThat(distinctSeconds).isGreaterThan(40);
  }

  @Test
  void newSyncsOnOnePeriodHaveTheirFirstRunsEvenlySpacedOverTheFirstMinute() {
    SyncConfig[] syncs = new SyncConfig[100];
    for (int i = 0; i < syncs.length; i++) {
      syncs[i] = sync("sync_" + i, every(Duration.ofMinutes(1)), false);
    }
    configure(4, Map.of(), syncs);
    for (int i = 0; i < syncs.length; i++) {
      assertThat(scheduler.view("sync_" + i).orElseThrow().nextRun())
          .as("sync_%d", i)
          .contains(clock.instant().plusMillis(600L * i));
    }
  }

  @Test
  void aNewSyncOnAShortPeriodIsSpreadWithinItsPeriodAndOneThatRanKeepsItsPhase() {
    SyncHistory ranAtSix =
        new SyncHistory(Optional.of(Instant.parse("2026-12-02T10:06:50Z")), Optional.empty());
    configure(
        4,
        Map.of("old", ranAtSix),
        sync("old", every(Duration.ofMinutes(1)), false),
        sync("a", new ScheduleSpec.Every(Duration.ofSeconds(20), "every 20s"), false),
        sync("b", new ScheduleSpec.Every(Duration.ofSeconds(20), "every 20s"), false));
    assertThat(scheduler.view("old").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T10:07:50Z"));
    assertThat(scheduler.view("a").orElseThrow().nextRun()).contains(clock.instant());
    assertThat(scheduler.view("b").orElseThrow().nextRun())
        .contains(clock.instant().plusSeconds(10));
  }

  @Test
  void aRunAskedThroughTheApiTakesTheSlotKeptForItWhileScheduledRunsFillTheOthers() {
    configure(
        2,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", ScheduleSpec.MANUAL, false),
        sync("c", ScheduleSpec.MANUAL, false),
        sync("d", ScheduleSpec.MANUAL, false),
        sync("e", ScheduleSpec.MANUAL, false));
    List.of("a", "b", "c", "d", "e").forEach(launcher::hold);
    scheduler.trigger("a", Trigger.SCHEDULE);
    scheduler.trigger("b", Trigger.SCHEDULE);
    ScheduledRun c = scheduler.trigger("c", Trigger.SCHEDULE);
    await("two scheduled runs", () -> launcher.started.size() == 2);

    ScheduledRun d = scheduler.trigger("d", Trigger.API);
    await("the API run to start at once", () -> d.state() == ScheduledRun.State.RUNNING);
    await("three runs in the launcher", () -> launcher.inParallel.get() == 3);
    assertThat(d.startedAt()).contains(d.due());
    assertThat(c.status()).as("the scheduled run still waits for its slot").isEqualTo("queued");

    ScheduledRun e = scheduler.trigger("e", Trigger.API);
    assertThat(e.status()).as("one slot is kept for the API, not more").isEqualTo("queued");
    launcher.release("a");
    await("the API run to start first", () -> e.state() == ScheduledRun.State.RUNNING);
    assertThat(c.status()).isEqualTo("queued");
    launcher.release("b");
    await("b to end", () -> scheduler.running() == 2);
    assertThat(c.status())
        .as("runs asked through the API count against max_concurrent_runs too")
        .isEqualTo("queued");
    launcher.release("d");
    await("then the scheduled one", () -> c.state() == ScheduledRun.State.RUNNING);
    List.of("c", "e").forEach(launcher::release);
    idle();
    assertThat(launcher.maxInParallel.get()).isEqualTo(3);
    assertThat(launcher.started).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
  }

  @Test
  void anApiTriggerCoalescedIntoAQueuedScheduledRunMovesItAheadOfOtherScheduledRuns() {
    configure(
        1,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", ScheduleSpec.MANUAL, false),
        sync("c", ScheduleSpec.MANUAL, false),
        sync("x", ScheduleSpec.MANUAL, false));
    List.of("a", "b", "c", "x").forEach(launcher::hold);
    scheduler.trigger("a", Trigger.SCHEDULE);
    await("a running", () -> launcher.started.size() == 1);
    ScheduledRun x = scheduler.trigger("x", Trigger.API);
    await("x in the slot kept for the API", () -> x.state() == ScheduledRun.State.RUNNING);
    ScheduledRun b = scheduler.trigger("b", Trigger.SCHEDULE);
    ScheduledRun c = scheduler.trigger("c", Trigger.SCHEDULE);
    assertThat(scheduler.trigger("c", Trigger.API).runId()).isEqualTo(c.runId());
    assertThat(c.trigger()).as("the run keeps what first asked for it").isEqualTo(Trigger.SCHEDULE);

    launcher.release("a");
    await("c, asked through the API too, to start", () -> c.state() != ScheduledRun.State.QUEUED);
    assertThat(b.status()).isEqualTo("queued");
    List.of("b", "c", "x").forEach(launcher::release);
    idle();
  }

  @Test
  void aQueuedRunStartsTheMomentASlotFreesWithoutWaitingForTheTimer() {
    configure(
        1,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", every(Duration.ofMinutes(1)), false));
    launcher.hold("a");
    launcher.hold("b");
    scheduler.trigger("a", Trigger.SCHEDULE);
    await("a running", () -> launcher.started.size() == 1);
    Instant due = scheduler.view("b").orElseThrow().nextRun().orElseThrow();
    clock.set(due.toString());
    scheduler.tick();
    ScheduledRun b = scheduler.view("b").orElseThrow().queued().orElseThrow();
    assertThat(b.due()).isEqualTo(due);

    clock.advance(Duration.ofSeconds(3));
    launcher.release("a");
    await("b to start", () -> b.state() == ScheduledRun.State.RUNNING);
    assertThat(b.startedAt())
        .as("its wait is the slot's, to the instant the slot freed")
        .contains(due.plusSeconds(3));
    launcher.release("b");
    idle();
  }

  @Test
  void schedulesMissedWhileTheServiceWasDownFireOneCatchUpRunNotABurst() {
    SyncHistory lastRanAtNine =
        new SyncHistory(Optional.of(Instant.parse("2026-12-02T09:00:00Z")), Optional.empty());
    clock.set("2026-12-02T12:00:30Z");
    configure(
        4,
        Map.of("a", lastRanAtNine, "b", lastRanAtNine),
        sync("a", every(Duration.ofMinutes(15)), false),
        sync("b", new ScheduleSpec.Cron("0 * * * *"), false));
    scheduler.tick();
    scheduler.tick();
    await("one catch-up run each", () -> launcher.count("a") == 1 && launcher.count("b") == 1);
    idle();
    scheduler.tick();
    assertThat(launcher.started).hasSize(2);
    assertThat(scheduler.view("a").orElseThrow().last().orElseThrow().trigger())
        .isEqualTo(Trigger.CATCH_UP);
    assertThat(scheduler.view("a").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T12:15:30Z"));
    assertThat(scheduler.view("b").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T13:00:00Z"));
  }

  @Test
  void aScheduleNotMissedDuringTheDowntimeWaitsForItsTime() {
    clock.set("2026-12-02T10:05:00Z");
    configure(
        2,
        Map.of(
            "a",
            new SyncHistory(Optional.of(Instant.parse("2026-12-02T10:00:01Z")), Optional.empty())),
        sync("a", new ScheduleSpec.Cron("*/15 * * * *"), false));
    scheduler.tick();
    assertThat(launcher.started).isEmpty();
    assertThat(scheduler.view("a").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T10:15:00Z"));
  }

  @Test
  void triggersWhileASyncRunsCoalesceIntoOneQueuedRunNeverTwoAtOnce() {
    configure(4, Map.of(), sync("a", ScheduleSpec.MANUAL, false));
    launcher.hold("a");
    ScheduledRun first = scheduler.trigger("a", Trigger.API);
    await("the first run to start", () -> first.state() == ScheduledRun.State.RUNNING);
    ScheduledRun second = scheduler.trigger("a", Trigger.API);
    ScheduledRun third = scheduler.trigger("a", Trigger.API);
    assertThat(third.runId()).isEqualTo(second.runId()).isNotEqualTo(first.runId());
    assertThat(second.status()).isEqualTo("queued");

    launcher.release("a");
    await("the queued run to end", () -> second.state() == ScheduledRun.State.DONE);
    assertThat(launcher.count("a")).isEqualTo(2);
    assertThat(launcher.maxPerSync.get("a")).isEqualTo(1);
    assertThat(scheduler.runsOf("a"))
        .extracting(ScheduledRun::runId)
        .containsExactly(second.runId(), first.runId());
  }

  @Test
  void maxConcurrentRunsBoundsScheduledRunsAcrossSyncs() {
    configure(
        2,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", ScheduleSpec.MANUAL, false),
        sync("c", ScheduleSpec.MANUAL, false));
    List.of("a", "b", "c").forEach(launcher::hold);
    ScheduledRun a = scheduler.trigger("a", Trigger.SCHEDULE);
    ScheduledRun b = scheduler.trigger("b", Trigger.SCHEDULE);
    ScheduledRun c = scheduler.trigger("c", Trigger.SCHEDULE);
    await("two runs", () -> launcher.started.size() == 2);
    assertThat(c.status()).isEqualTo("queued");
    launcher.release("a");
    await("c to start", () -> c.state() != ScheduledRun.State.QUEUED);
    launcher.release("b");
    launcher.release("c");
    idle();
    assertThat(launcher.maxInParallel.get()).isEqualTo(2);
    assertThat(List.of(a.status(), b.status(), c.status())).containsOnly("succeeded");
  }

  @Test
  void afterRunsOnceEveryListedSyncHasSucceededSinceItLastRan() {
    configure(
        4,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", ScheduleSpec.MANUAL, false),
        sync("report", new ScheduleSpec.After(List.of("a", "b")), false));
    scheduler.trigger("a", Trigger.API);
    await("a", () -> scheduler.view("a").orElseThrow().last().isPresent());
    idle();
    assertThat(launcher.count("report")).isZero();

    launcher.endAs("b", RunSummary.Status.FAILED);
    scheduler.trigger("b", Trigger.API);
    await("b failed", () -> scheduler.view("b").orElseThrow().last().isPresent());
    idle();
    assertThat(launcher.count("report")).as("a failed dependency does not count").isZero();

    launcher.endAs("b", RunSummary.Status.SUCCEEDED);
    clock.advance(Duration.ofSeconds(1));
    scheduler.trigger("b", Trigger.API);
    await("report after a and b", () -> launcher.count("report") == 1);
    idle();
    assertThat(scheduler.view("report").orElseThrow().last().orElseThrow().trigger())
        .isEqualTo(Trigger.AFTER);

    clock.advance(Duration.ofSeconds(1));
    scheduler.trigger("a", Trigger.API);
    await("a again", () -> launcher.count("a") == 2);
    idle();
    assertThat(launcher.count("report")).as("b has not succeeded since report ran").isEqualTo(1);
  }

  @Test
  void aPausedSyncSkipsItsScheduleButRunsWhenAskedAndResumes() {
    configure(2, Map.of(), sync("a", every(Duration.ofMinutes(5)), true));
    scheduler.tick();
    clock.advance(Duration.ofMinutes(6));
    scheduler.tick();
    clock.advance(Duration.ofMinutes(6));
    scheduler.tick();
    assertThat(launcher.started).isEmpty();
    assertThat(scheduler.view("a").orElseThrow().paused()).isTrue();
    assertThat(scheduler.view("a").orElseThrow().nextRun()).isEmpty();

    scheduler.trigger("a", Trigger.API);
    await("the asked-for run", () -> launcher.count("a") == 1);
    idle();

    scheduler.setPaused("a", false);
    clock.advance(Duration.ofMinutes(6));
    scheduler.tick();
    await("the scheduled run after resuming", () -> launcher.count("a") == 2);
    idle();
    scheduler.setPaused("a", true);
    clock.advance(Duration.ofMinutes(6));
    scheduler.tick();
    assertThat(launcher.count("a")).isEqualTo(2);
  }

  @Test
  void cancellingAQueuedRunEndsItWithoutStartingAndARunningOneIsAskedToStop() {
    configure(4, Map.of(), sync("a", ScheduleSpec.MANUAL, false));
    launcher.hold("a");
    ScheduledRun running = scheduler.trigger("a", Trigger.API);
    await("running", () -> running.state() == ScheduledRun.State.RUNNING);
    ScheduledRun queued = scheduler.trigger("a", Trigger.API);

    assertThat(scheduler.cancel(queued.runId(), "cancelled through the API"))
        .isEqualTo(Scheduler.Cancelled.DEQUEUED);
    assertThat(queued.status()).isEqualTo("cancelled");
    assertThat(scheduler.cancel(running.runId(), "cancelled through the API"))
        .isEqualTo(Scheduler.Cancelled.REQUESTED);
    await("the running run to end", () -> running.state() == ScheduledRun.State.DONE);
    assertThat(running.status()).isEqualTo("cancelled");
    assertThat(running.tally().cancelReason()).contains("cancelled through the API");
    assertThat(scheduler.cancel(running.runId(), "again"))
        .isEqualTo(Scheduler.Cancelled.ALREADY_DONE);
    assertThat(scheduler.cancel("nope", "x")).isEqualTo(Scheduler.Cancelled.UNKNOWN);
    assertThat(launcher.count("a")).isEqualTo(1);
  }

  @Test
  void shutdownStopsSchedulingAndAsksRunningSyncsToStop() {
    configure(
        4,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", every(Duration.ofMinutes(1)), false));
    launcher.hold("a");
    ScheduledRun running = scheduler.trigger("a", Trigger.API);
    await("running", () -> running.state() == ScheduledRun.State.RUNNING);
    ScheduledRun queued = scheduler.trigger("a", Trigger.API);

    assertThat(scheduler.shutdown(Duration.ofSeconds(5), "SIGTERM")).isTrue();
    assertThat(running.tally().cancelReason()).contains("SIGTERM");
    assertThat(running.status()).isEqualTo("cancelled");
    assertThat(queued.status()).isEqualTo("cancelled");
    scheduler.tick();
    assertThat(launcher.count("b")).isZero();
    assertThatThrownBy(() -> scheduler.trigger("a", Trigger.API))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFullResyncAskedWhileARunIsQueuedMakesThatQueuedRunAFullResyncAndAPlainTriggerKeepsIt() {
    configure(4, Map.of(), sync("a", ScheduleSpec.MANUAL, false));
    launcher.hold("a");
    ScheduledRun first = scheduler.trigger("a", Trigger.API);
    await("the first run to start", () -> first.state() == ScheduledRun.State.RUNNING);
    ScheduledRun queued = scheduler.trigger("a", Trigger.API);
    assertThat(queued.fullResync()).isFalse();
    ScheduledRun resync = scheduler.trigger("a", Trigger.API, RunOptions.FULL_RESYNC);
    ScheduledRun plain = scheduler.trigger("a", Trigger.API);
    assertThat(resync.runId()).isEqualTo(queued.runId()).isEqualTo(plain.runId());
    assertThat(queued.fullResync()).as("either trigger asked for a full resync").isTrue();

    launcher.release("a");
    await("the queued run to end", () -> queued.state() == ScheduledRun.State.DONE);
    assertThat(launcher.options).containsExactly(RunOptions.DEFAULT, RunOptions.FULL_RESYNC);
    assertThat(launcher.maxPerSync.get("a")).isEqualTo(1);
  }

  @Test
  void aFullResyncAskedWhileARunIsRunningQueuesOneMoreRunThatIsAFullResync() {
    configure(4, Map.of(), sync("a", ScheduleSpec.MANUAL, false));
    launcher.hold("a");
    ScheduledRun running = scheduler.trigger("a", Trigger.API);
    await("the first run to start", () -> running.state() == ScheduledRun.State.RUNNING);
    ScheduledRun resync = scheduler.trigger("a", Trigger.API, RunOptions.FULL_RESYNC);
    assertThat(resync.runId()).isNotEqualTo(running.runId());
    assertThat(resync.status()).isEqualTo("queued");
    assertThat(running.fullResync()).as("the running run is not changed").isFalse();

    launcher.release("a");
    await("the full resync to end", () -> resync.state() == ScheduledRun.State.DONE);
    assertThat(launcher.options).containsExactly(RunOptions.DEFAULT, RunOptions.FULL_RESYNC);
    assertThat(launcher.maxPerSync.get("a")).isEqualTo(1);
  }

  @Test
  void aFullResyncOnAnIdleSyncRunsAtOnceAsAFullResyncAndTheNextTriggerIsPlain() {
    configure(4, Map.of(), sync("a", ScheduleSpec.MANUAL, false));
    ScheduledRun resync = scheduler.trigger("a", Trigger.API, RunOptions.FULL_RESYNC);
    await("the full resync to end", () -> resync.state() == ScheduledRun.State.DONE);
    ScheduledRun next = scheduler.trigger("a", Trigger.API);
    await("the next run to end", () -> next.state() == ScheduledRun.State.DONE);
    assertThat(launcher.options).containsExactly(RunOptions.FULL_RESYNC, RunOptions.DEFAULT);
  }

  @Test
  void aReloadKeepsRunsAndNextTimesOfUnchangedSyncsAndCancelsQueuedRunsOfRemovedOnes() {
    configure(
        1,
        Map.of(),
        sync("a", ScheduleSpec.MANUAL, false),
        sync("b", new ScheduleSpec.Cron("0 * * * *"), false));
    launcher.hold("a");
    ScheduledRun a = scheduler.trigger("a", Trigger.API);
    await("a running", () -> a.state() == ScheduledRun.State.RUNNING);
    ScheduledRun queuedA = scheduler.trigger("a", Trigger.API);

    configure(
        1,
        Map.of(),
        sync("b", new ScheduleSpec.Cron("0 * * * *"), false),
        sync("c", ScheduleSpec.MANUAL, false));
    assertThat(queuedA.status()).isEqualTo("cancelled");
    assertThat(scheduler.view("a")).isEmpty();
    assertThat(scheduler.view("b").orElseThrow().nextRun())
        .contains(Instant.parse("2026-12-02T11:00:00Z"));
    assertThatThrownBy(() -> scheduler.trigger("a", Trigger.API))
        .isInstanceOf(IllegalArgumentException.class);
    launcher.release("a");
    await("a to end", () -> a.state() == ScheduledRun.State.DONE);
    ScheduledRun c = scheduler.trigger("c", Trigger.API);
    await("c to run once a's slot is free", () -> c.state() == ScheduledRun.State.DONE);
  }
}
