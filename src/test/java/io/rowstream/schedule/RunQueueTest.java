package io.rowstream.schedule;

import static io.rowstream.schedule.SchedulerTest.every;
import static io.rowstream.schedule.SchedulerTest.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.run.RunOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runs a scheduler knows: queued and coalesced, ready, remembered, cancelled. */
class RunQueueTest {
  private final MutableClock clock = new MutableClock("2026-12-02T10:07:00Z");
  private final RunQueue queue = new RunQueue(clock);
  private final Slots slots = new Slots();

  private Slot slot(String name) {
    slots.configure(
        List.of(sync(name, every(Duration.ofMinutes(10)), false)), Map.of(), clock.instant());
    return slots.get(name);
  }

  @Test
  void aSecondTriggerCoalescesIntoTheQueuedRun() {
    Slot a = slot("a");
    ScheduledRun first =
        queue.enqueue("a", a, Trigger.SCHEDULE, clock.instant(), RunOptions.DEFAULT);

    ScheduledRun second = queue.enqueue("a", a, Trigger.API, clock.instant(), RunOptions.DEFAULT);

    assertThat(second).isSameAs(first);
    assertThat(first.asked()).as("the API's trigger makes it an asked-for run").isTrue();
    assertThat(queue.ready).containsExactly(first);
    assertThat(queue.find(first.runId())).contains(first);
  }

  @Test
  void aRunIsNotReadyWhileItsSyncRunsAndIsNeverDueInTheFuture() {
    Slot a = slot("a");
    a.current = queue.enqueue("a", a, Trigger.SCHEDULE, clock.instant(), RunOptions.DEFAULT);
    a.queued = null;
    queue.ready.clear();

    ScheduledRun next =
        queue.enqueue(
            "a", a, Trigger.SCHEDULE, Instant.parse("2026-12-03T00:00:00Z"), RunOptions.DEFAULT);

    assertThat(queue.ready).isEmpty();
    assertThat(a.queued).isSameAs(next);
    assertThat(next.due()).isEqualTo(clock.instant());
  }

  @Test
  void onlyTheLastRecentRunsOfASyncAreKeptById() {
    Slot a = slot("a");
    List<ScheduledRun> runs = new ArrayList<>();
    for (int i = 0; i <= Scheduler.RECENT_RUNS; i++) {
      ScheduledRun run =
          queue.enqueue("a", a, Trigger.SCHEDULE, clock.instant(), RunOptions.DEFAULT);
      a.queued = null;
      queue.remember(a, run);
      runs.add(run);
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(a.recent).hasSize(Scheduler.RECENT_RUNS);
    assertThat(queue.find(runs.get(0).runId())).isEmpty();
    assertThat(queue.find(runs.get(1).runId())).isPresent();
  }

  @Test
  void cancellingDequeuesAQueuedRunAndKnowsNoOtherId() {
    Slot a = slot("a");
    ScheduledRun run = queue.enqueue("a", a, Trigger.SCHEDULE, clock.instant(), RunOptions.DEFAULT);

    assertThat(queue.cancel(run.runId(), "not now", slots)).isEqualTo(Scheduler.Cancelled.DEQUEUED);
    assertThat(run.status()).isEqualTo("cancelled");
    assertThat(run.summary().orElseThrow().error()).contains("not now");
    assertThat(queue.ready).isEmpty();
    assertThat(a.queued).isNull();
    assertThat(a.recent).containsExactly(run);
    assertThat(queue.cancel(run.runId(), "again", slots))
        .isEqualTo(Scheduler.Cancelled.ALREADY_DONE);
    assertThat(queue.cancel("no-such-run", "why", slots)).isEqualTo(Scheduler.Cancelled.UNKNOWN);
  }
}
