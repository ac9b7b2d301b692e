package io.rowstream.schedule;

import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs nothing: records each run, and holds it until the test releases its sync (or returns at once
 * when the sync is not held). Ends as the test says, or cancelled when asked to stop.
 */
final class FakeLauncher implements RunLauncher {
  final List<String> started = new CopyOnWriteArrayList<>();

  /** The options of each run, in the order they started. */
  final List<RunOptions> options = new CopyOnWriteArrayList<>();

  final AtomicInteger inParallel = new AtomicInteger();
  final AtomicInteger maxInParallel = new AtomicInteger();
  final Map<String, AtomicInteger> perSync = new ConcurrentHashMap<>();
  final Map<String, Integer> maxPerSync = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
  private final Map<String, RunSummary.Status> outcomes = new ConcurrentHashMap<>();

  void hold(String sync) {
    held.put(sync, new CountDownLatch(1));
  }

  void release(String sync) {
    CountDownLatch latch = held.remove(sync);
    if (latch != null) {
      latch.countDown();
    }
  }

  void endAs(String sync, RunSummary.Status status) {
    outcomes.put(sync, status);
  }

  @Override
  public RunSummary run(String sync, String runId, RunTally tally, RunOptions asked) {
    options.add(asked);
    started.add(sync);
    maxInParallel.accumulateAndGet(inParallel.incrementAndGet(), Math::max);
    int mine = perSync.computeIfAbsent(sync, s -> new AtomicInteger()).incrementAndGet();
    maxPerSync.merge(sync, mine, Math::max);
    try {
      CountDownLatch latch = held.get(sync);
      while (latch != null && !tally.cancelRequested() && !latch.await(10, TimeUnit.MILLISECONDS)) {
        // held until released or cancelled
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      perSync.get(sync).decrementAndGet();
      inParallel.decrementAndGet();
    }
    RunSummary.Status status =
        tally.cancelRequested()
            ? RunSummary.Status.CANCELLED
            : outcomes.getOrDefault(sync, RunSummary.Status.SUCCEEDED);
    return RunSummary.builder(sync, runId, status)
        .startedAt("2026-12-02T00:00:00Z")
        .finishedAt("2026-12-02T00:00:01Z")
        .build();
  }

  long count(String sync) {
    return started.stream().filter(sync::equals).count();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
