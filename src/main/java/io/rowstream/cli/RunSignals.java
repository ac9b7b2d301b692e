package io.rowstream.cli;

import io.rowstream.run.RunTally;
import io.rowstream.run.SyncRunner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT during a run: the first one asks the run to cancel (stop reading, let the
 * requests in flight answer for up to {@link SyncRunner#CANCEL_GRACE}, commit what was
 * acknowledged), and the command then exits 143 or 130 after printing the summary. A second signal,
 * or a run still busy {@link #HALT_AFTER} after the first, stops the process at once: the state is
 * crash safe, so that loses nothing but may send again what was in flight.
 *
 * <p>The JVM's own handlers would run the shutdown hooks and exit while the run is mid-way; this
 * replaces them for the run's duration (through {@code sun.misc.Signal}, the JDK's supported way to
 * do so) and puts them back on {@link #close()}.
 */
final class RunSignals implements AutoCloseable {
  /** How long after the first signal the process stops even if the run has not finished. */
  static final Duration HALT_AFTER = SyncRunner.CANCEL_GRACE.plusSeconds(20);

  private static final Map<String, Integer> EXIT_CODES = Map.of("TERM", 143, "INT", 130);

  private final RunTally tally;
  private final PrintWriter err;
  private final Map<Signal, SignalHandler> previous = new HashMap<>();
  private volatile String received;
  private volatile boolean finished;

  private RunSignals(RunTally tally, PrintWriter err) {
    this.tally = tally;
    this.err = err;
  }

  /** Handles SIGTERM and SIGINT until closed; signals the platform does not know are left alone. */
  static RunSignals install(RunTally tally, PrintWriter err) {
    RunSignals signals = new RunSignals(tally, err);
    for (String name : EXIT_CODES.keySet()) {
      try {
        Signal signal = new Signal(name);
        signals.previous.put(signal, Signal.handle(signal, signals::handle));
      } catch (IllegalArgumentException e) {
        // not on this platform, or the JVM runs with -Xrs: the default behaviour stays
      }
    }
    return signals;
  }

  /**
   * The exit code of the first signal received ({@code 143} for SIGTERM, {@code 130} for SIGINT).
   */
  Optional<Integer> exitCode() {
    return Optional.ofNullable(received).map(EXIT_CODES::get);
  }

  private void handle(Signal signal) {
    int code = EXIT_CODES.get(signal.getName());
    if (received != null) {
      say(
          "second SIG"
              + signal.getName()
              + ": stopping now; the next run sends what was not acknowledged");
      Runtime.getRuntime().halt(code);
    }
    received = signal.getName();
    say(
        "SIG"
            + signal.getName()
            + ": cancelling the run; waiting up to "
            + SyncRunner.CANCEL_GRACE.toSeconds()
            + "s for requests in flight, then committing what was acknowledged (again to stop at once)");
    tally.requestCancel("SIG" + signal.getName());
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(HALT_AFTER.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              if (!finished) {
                say(
                    "the run did not stop within "
                        + HALT_AFTER.toSeconds()
                        + "s of SIG"
                        + signal.getName()
                        + ": stopping now; the next run sends what was not acknowledged");
                Runtime.getRuntime().halt(code);
              }
            },
            "rowstream-cancel-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void say(String message) {
    synchronized (err) {
      err.println();
      err.println("rowstream: " + message);
      err.flush();
    }
  }

  @Override
  public void close() {
    finished = true;
    previous.forEach(Signal::handle);
  }
}
