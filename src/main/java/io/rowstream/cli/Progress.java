package io.rowstream.cli;

import io.rowstream.run.RunTally;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Redraws one status line on stderr twice a second while a run works, when stderr is a terminal;
 * silent otherwise, so logs and pipes stay clean.
 */
final class Progress implements AutoCloseable {
  private static final long PERIOD_MS = 500;

  private final RunTally tally;
  private final PrintWriter err;
  private final Thread ticker;
  private final long startNanos = System.nanoTime();
  private volatile boolean done;

  private Progress(RunTally tally, PrintWriter err, boolean enabled) {
    this.tally = tally;
    this.err = err;
    this.ticker = enabled ? new Thread(this::tick, "rowstream-progress") : null;
    if (ticker != null) {
      ticker.setDaemon(true);
      ticker.start();
    }
  }

  static Progress start(RunTally tally, PrintWriter err) {
    return new Progress(tally, err, System.console() != null);
  }

  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void tick() {
    while (!done) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      double s = Math.max(seconds(), 0.001);
      String line =
          String.format(
              Locale.ROOT,
              "\r%-10s %,d rows read | %,d events planned | %,d sent | %,d rejected | %,.0f records/s   ",
              tally.phase().name().toLowerCase(Locale.ROOT),
              tally.rowsRead(),
              tally.planned(),
              tally.sent(),
              tally.rejected(),
              tally.sent() / s);
      synchronized (err) {
        err.print(line);
        err.flush();
      }
    }
  }

  @Override
  public void close() {
    done = true;
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.print("\r" + " ".repeat(110) + "\r");
      err.flush();
    }
  }
}
