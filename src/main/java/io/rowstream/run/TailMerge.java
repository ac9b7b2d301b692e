package io.rowstream.run;

import io.rowstream.core.RowstreamException;
import io.rowstream.state.DeliveredState;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Overlaps the end-of-run commit with a run's last requests: once the plan has been read to its end
 * (nothing reads the delivered state any more) and no more than {@code tail} records are still
 * unanswered, the acknowledgements so far are folded into the delivered state on a thread of its
 * own ({@link DeliveredState#mergeAcksSoFar}), while the last requests are in flight; the
 * end-of-run merge then folds only what they bring. Why that keeps the guarantee: see {@code
 * DuckDbState.mergeAcksSoFar}. The same thread then makes the run's API calls written so far
 * findable by key ({@code CallRecorder.indexSoFar}), which the run's end would otherwise do whole.
 */
final class TailMerge {
  private final DeliveredState state;
  private final Runnable indexCalls;
  private final long tail;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean planRead;
  private volatile Thread merging;

  TailMerge(DeliveredState state, Runnable indexCalls, long tail) {
    this.state = state;
    this.indexCalls = indexCalls;
    this.tail = tail;
  }

  /** A record was handed to the producer. */
  void submitted() {
    submitted.incrementAndGet();
  }

  /** Records were acknowledged (and recorded) or rejected. */
  void settled(int records) {
    settled.addAndGet(records);
    maybeStart();
  }

  /** Every event of the plan was read, and every record submitted. */
  void planRead() {
    planRead = true;
    maybeStart();
  }

  private void maybeStart() {
    if (planRead && submitted.get() - settled.get() <= tail && started.compareAndSet(false, true)) {
      Thread t =
          new Thread(
              () -> {
                try {
                  state.mergeAcksSoFar();
                } catch (RowstreamException e) {
                  // rolled back whole: the end-of-run merge folds these acknowledgements too
                }
                // a failure is kept for the run's flush of its calls to report
                indexCalls.run();
              },
              "rowstream-tail-merge");
      t.setDaemon(true);
      merging = t;
      t.start();
    }
  }

  /** Waits for a merge under way: the end-of-run merge must not run beside it. */
  void await() {
    Thread t = merging;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // a merge must end before the next: wait on, then say so
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
