package io.rowstream.alerts;

import io.rowstream.alerts.channel.Channel;
import io.rowstream.alerts.channel.DeliveryException;
import io.rowstream.alerts.channel.Notification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends notifications in parallel, each retried with jittered exponential backoff while its failure
 * is retryable, all within one time budget: past it, whatever is still trying is stopped and
 * reported as failed. Never throws.
 */
final class Deliverer {
  /** How one delivery went. */
  record Outcome(boolean delivered, int attempts, String detail) {}

  /** One notification to one channel. */
  record Task(Channel channel, Notification notification) {}

  private final Duration budget;
  private final Duration firstBackoff;
  private final Scrubber scrubber;

  Deliverer(Duration budget, Duration firstBackoff, Scrubber scrubber) {
    this.budget = budget;
    this.firstBackoff = firstBackoff;
    this.scrubber = scrubber;
  }

  List<Outcome> deliver(List<Task> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    long deadline = System.nanoTime() + budget.toNanos();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(tasks.size(), 8),
            r -> {
              Thread t = new Thread(r, "rowstream-alerts");
              t.setDaemon(true);
              return t;
            });
    try {
      List<AtomicInteger> attempts = new ArrayList<>();
      List<AtomicReference<String>> lastError = new ArrayList<>();
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Task task : tasks) {
        AtomicInteger n = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>("");
        attempts.add(n);
        lastError.add(error);
        futures.add(pool.submit(() -> attempt(task, deadline, n, error)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        long left = deadline - System.nanoTime();
        Outcome outcome;
        try {
          outcome = futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          String last = lastError.get(i).get();
          outcome =
              new Outcome(
                  false,
                  Math.max(1, attempts.get(i).get()),
                  "gave up at the end of the "
                      + budget.toMillis()
                      + " ms delivery budget"
                      + (last.isEmpty() ? "" : "; last error: " + last));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.get(i).cancel(true);
          outcome = new Outcome(false, attempts.get(i).get(), "interrupted");
        } catch (ExecutionException e) {
          outcome = new Outcome(false, attempts.get(i).get(), "internal error: " + e.getCause());
        }
        outcomes.add(
            new Outcome(outcome.delivered(), outcome.attempts(), scrubber.scrub(outcome.detail())));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome attempt(
      Task task, long deadline, AtomicInteger attempts, AtomicReference<String> lastError) {
    long backoff = firstBackoff.toMillis();
    while (true) {
      int n = attempts.incrementAndGet();
      try {
        task.channel().send(task.notification());
        return new Outcome(true, n, "");
      } catch (DeliveryException e) {
        if (Thread.currentThread().isInterrupted()) {
          // stopped at the end of the budget: the error worth reporting is the one before
          return new Outcome(false, n, lastError.get());
        }
        lastError.set(e.getMessage());
        long jittered = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (!e.retryable()
            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered) >= deadline) {
          return new Outcome(
              false,
              n,
              e.getMessage() + (e.retryable() ? " (retry budget spent)" : " (not retried)"));
        }
        try {
          Thread.sleep(jittered);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return new Outcome(false, n, e.getMessage());
        }
        backoff = Math.min(backoff * 2, 4_000);
      } catch (RuntimeException e) {
        return new Outcome(false, n, "internal error: " + e);
      }
    }
  }
}
