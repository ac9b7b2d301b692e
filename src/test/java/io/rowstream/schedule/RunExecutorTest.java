package io.rowstream.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A started run on its own thread: the listener first, then the scheduler, whatever happens. */
class RunExecutorTest {
  private final MutableClock clock = new MutableClock("2026-12-02T10:07:00Z");
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final RunListener listener =
      new RunListener() {
        @Override
        public void started(ScheduledRun run) {
          heard.add("started " + run.sync());
        }

        @Override
        public void finished(ScheduledRun run, RunSummary summary) {
          heard.add("finished " + summary.status());
        }
      };
  private RunExecutor executor;

  @AfterEach
  void stop() {
    executor.shutdown();
  }

  private ScheduledRun run() {
    ScheduledRun run =
        new ScheduledRun(
            "run-1",
            "a",
            Trigger.API,
            clock.instant(),
            clock.instant(),
            SyncRunner.newTally(),
            RunOptions.DEFAULT);
    run.started(clock.instant());
    return run;
  }

  private RunSummary startAndWait(RunExecutor executor, ScheduledRun run) throws Exception {
    CompletableFuture<RunSummary> ended = new CompletableFuture<>();
    executor.start(
        run,
        (r, summary) -> {
          heard.add("scheduler");
          ended.complete(summary);
        });
    return ended.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aLauncherThatThrowsEndsTheRunAsFailedWithItsMessage() throws Exception {
    executor =
        new RunExecutor(
            clock,
            (sync, runId, tally, options) -> {
              throw new IllegalStateException("the source is down");
            },
            listener);

    RunSummary summary = startAndWait(executor, run());

    assertThat(summary.status()).isEqualTo(RunSummary.Status.FAILED);
    assertThat(summary.error()).contains("the source is down");
    assertThat(summary.startedAt()).isEqualTo("2026-12-02T10:07:00Z");
    assertThat(heard).containsExactly("started a", "finished FAILED", "scheduler");
  }

  @Test
  void theListenerHearsTheLaunchersSummaryBeforeTheScheduler() throws Exception {
    executor =
        new RunExecutor(
            clock,
            (sync, runId, tally, options) ->
                RunSummary.builder(sync, runId, RunSummary.Status.SUCCEEDED)
                    .startedAt("2026-12-02T10:07:00Z")
                    .finishedAt("2026-12-02T10:08:00Z")
                    .build(),
            listener);

    RunSummary summary = startAndWait(executor, run());

    assertThat(summary.status()).isEqualTo(RunSummary.Status.SUCCEEDED);
    assertThat(heard).containsExactly("started a", "finished SUCCEEDED", "scheduler");
  }
}
