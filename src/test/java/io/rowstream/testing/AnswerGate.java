package io.rowstream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the answers of PutRecords calls once a number of records is stored, until the test releases
 * them (see {@link FaultProxy#holdAnswersAfter}). The records of a held call are stored, only their
 * answer waits: the client is mid-run, with requests in flight, for as long as the test needs,
 * however fast or slow the machine is. A test that kills or cancels a run mid-way acts while the
 * gate holds instead of racing the run to its end.
 */
public final class AnswerGate {
  private final String stream;
  private long limit;
  private long stored;
  private long round;

  /** Calls held in this round, that is since the last release. */
  private int holding;

  private final List<String> heldKeys = new ArrayList<>();

  AnswerGate(String stream, long limit) {
    this.stream = stream;
    this.limit = limit;
  }

  /**
   * Called by the proxy with the partition keys a PutRecords call stored, before it answers:
   * returns at once for another stream or while fewer than the limit were stored before this call,
   * otherwise when released.
   */
  void pass(String callStream, List<String> keys) throws InterruptedException {
    if (stream != null && !stream.equals(callStream)) {
      return;
    }
    synchronized (this) {
      boolean hold = stored >= limit;
      stored += keys.size();
      if (!hold) {
        return;
      }
      long myRound = round;
      holding++;
      heldKeys.addAll(keys);
      notifyAll();
      try {
        while (myRound == round) {
          wait();
        }
      } finally {
        if (myRound == round) {
          holding--; // interrupted: the proxy closed
        }
      }
    }
  }

  /**
   * Waits up to {@code timeout} until at least one answer is held, that is until the limit is
   * stored and the client waits for a later answer.
   *
   * @return whether an answer is held
   */
  public synchronized boolean awaitHolding(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (holding == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Records stored so far, in answered and held calls. */
  public synchronized long stored() {
    return stored;
  }

  /** Answers the held calls, and holds again once {@code more} further records are stored. */
  public synchronized void release(long more) {
    round++;
    holding = 0;
    limit = stored + more;
    notifyAll();
  }

  /** Answers the held calls and every later one at once. */
  public void open() {
    release(Long.MAX_VALUE / 2);
  }

  /** Calls whose answer is held now (since the last release). */
  public synchronized int holding() {
    return holding;
  }

  /**
   * Partition keys of the records stored in calls whose answer was held (so far), once per call:
   * records the client could not know were delivered.
   */
  public synchronized List<String> heldKeys() {
    return List.copyOf(heldKeys);
  }
}
