package io.rowstream.schedule;

import static java.util.Objects.requireNonNull;

import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One run the service knows of, from the moment it is asked for: queued, then running (its {@link
 * RunTally} holds live counts), then done with its summary. Thread-safe.
 */
public final class ScheduledRun {
  /** Where the run is. */
  public enum State {
    QUEUED,
    RUNNING,
    DONE
  }

  private final String runId;
  private final String sync;
  private final Trigger trigger;
  private final Instant queuedAt;
  private final RunTally tally;
  private volatile Instant due;
  private volatile RunOptions options;
  private volatile boolean asked;
  private volatile State state = State.QUEUED;
  private volatile Instant startedAt;
  private volatile RunSummary summary;

  ScheduledRun(
      String runId,
      String sync,
      Trigger trigger,
      Instant queuedAt,
      Instant due,
      RunTally tally,
      RunOptions options) {
    this.runId = requireNonNull(runId, "runId is null");
    this.sync = requireNonNull(sync, "sync is null");
    this.trigger = requireNonNull(trigger, "trigger is null");
    this.queuedAt = requireNonNull(queuedAt, "queuedAt is null");
    this.due = requireNonNull(due, "due is null");
    this.tally = requireNonNull(tally, "tally is null");
    this.options = requireNonNull(options, "options is null");
    this.asked = trigger == Trigger.API;
  }

  public String runId() {
    return runId;
  }

  public String sync() {
    return sync;
  }

  public Trigger trigger() {
    return trigger;
  }

  public Instant queuedAt() {
    return queuedAt;
  }

  /** When the run was meant to start: the schedule's fire time, or when it was asked for. */
  public Instant due() {
    return due;
  }

  /**
   * What the run was asked to do: final once it runs; a queued run takes what a coalesced trigger
   * adds.
   */
  public RunOptions options() {
    return options;
  }

  /** Whether the run forgets the delivered state and sends every row as added. */
  public boolean fullResync() {
    return options.fullResync();
  }

  public RunTally tally() {
    return tally;
  }

  public State state() {
    return state;
  }

  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  public Optional<RunSummary> summary() {
    return Optional.ofNullable(summary);
  }

  /**
   * {@code queued}, {@code running}, or how it ended ({@code succeeded}, {@code cancelled}, ...).
   */
  public String status() {
    RunSummary s = summary;
    return s != null ? s.status().label() : state == State.RUNNING ? "running" : "queued";
  }

  /**
   * Whether the API asked for it (its trigger, or one coalesced into it while it was queued): it
   * starts before scheduled runs.
   */
  boolean asked() {
    return asked;
  }

  /** A trigger coalesced into this queued run: it does what either asked for. */
  void coalesce(RunOptions more, Trigger cause) {
    options = options.merge(more);
    asked |= cause == Trigger.API;
  }

  void started(Instant at) {
    startedAt = at;
    state = State.RUNNING;
  }

  void finished(RunSummary result) {
    summary = result;
    state = State.DONE;
  }

  /** The summary of this run when it ends without the launcher's: cancelled queued, or it threw. */
  RunSummary endedWithout(RunSummary.Status status, String error, Instant at) {
    String now = at.truncatedTo(ChronoUnit.MILLIS).toString();
    return RunSummary.builder(sync, runId, status)
        .startedAt(startedAt().map(Instant::toString).orElse(now))
        .finishedAt(now)
        .error(error)
        .build();
  }
}
