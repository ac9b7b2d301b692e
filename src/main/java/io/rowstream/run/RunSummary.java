package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.history.RunCounts;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The outcome of one run, as {@code run --json} prints it and the run history keeps it. */
public record RunSummary(
    String sync,
    String runId,
    Status status,
    String startedAt,
    String finishedAt,
    long rowsQueried,
    Map<EventType, EventCounts> events,
    long skipped,
    long invalid,
    Map<String, Long> rejections,
    Optional<String> error,
    Optional<ErrorCode> errorCode,
    Optional<Long> fullResyncForgot,
    Optional<SyncLogOutcome> syncLog) {

  /** How a run ended; decides the exit code. */
  public enum Status {
    SUCCEEDED("succeeded", 0),
    COMPLETED_WITH_ERRORS("completed_with_errors", 3),
    FAILED("failed", 1),
    /** Stopped on request after committing what was acknowledged; the CLI exits 130 or 143. */
    CANCELLED("cancelled", 1);

    private final String label;
    private final int exitCode;

    Status(String label, int exitCode) {
      this.label = label;
      this.exitCode = exitCode;
    }

    public String label() {
      return label;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public RunSummary {
    requireNonNull(sync, "sync is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    events = Map.copyOf(events);
    rejections = new TreeMap<>(rejections);
    requireNonNull(error, "error is null");
    requireNonNull(errorCode, "errorCode is null");
    requireNonNull(fullResyncForgot, "fullResyncForgot is null");
    requireNonNull(syncLog, "syncLog is null");
  }

  /** A summary of a run that wrote no sync log. */
  public RunSummary(
      String sync,
      String runId,
      Status status,
      String startedAt,
      String finishedAt,
      long rowsQueried,
      Map<EventType, EventCounts> events,
      long skipped,
      long invalid,
      Map<String, Long> rejections,
      Optional<String> error,
      Optional<ErrorCode> errorCode,
      Optional<Long> fullResyncForgot) {
    this(
        sync,
        runId,
        status,
        startedAt,
        finishedAt,
        rowsQueried,
        events,
        skipped,
        invalid,
        rejections,
        error,
        errorCode,
        fullResyncForgot,
        Optional.empty());
  }

  /** This summary with what became of the run's sync log. */
  public RunSummary withSyncLog(SyncLogOutcome outcome) {
    return new RunSummary(
        sync,
        runId,
        status,
        startedAt,
        finishedAt,
        rowsQueried,
        events,
        skipped,
        invalid,
        rejections,
        error,
        errorCode,
        fullResyncForgot,
        Optional.of(outcome));
  }

  /** A summary to build; every field not given keeps its default, named in {@link Builder}. */
  public static Builder builder(String sync, String runId, Status status) {
    return new Builder(sync, runId, status);
  }

  /** A builder holding this summary's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder(sync, runId, status)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .rowsQueried(rowsQueried)
        .events(events)
        .skipped(skipped)
        .invalid(invalid)
        .rejections(rejections)
        .error(error)
        .errorCode(errorCode)
        .fullResyncForgot(fullResyncForgot);
  }

  /**
   * Builds a {@link RunSummary}. Defaults: no rows, no events, nothing skipped, invalid or
   * rejected, no error, and not a full resync; {@code startedAt} and {@code finishedAt} must be
   * given.
   */
  public static final class Builder {
    private final String sync;
    private final String runId;
    private final Status status;
    private String startedAt;
    private String finishedAt;
    private long rowsQueried = 0;
    private Map<EventType, EventCounts> events = Map.of();
    private long skipped = 0;
    private long invalid = 0;
    private Map<String, Long> rejections = Map.of();
    private Optional<String> error = Optional.empty();
    private Optional<ErrorCode> errorCode = Optional.empty();

    /** Empty unless the run was a full resync; then how many delivered rows it forgot. */
    private Optional<Long> fullResyncForgot = Optional.empty();

    private Builder(String sync, String runId, Status status) {
      this.sync = requireNonNull(sync, "sync is null");
      this.runId = requireNonNull(runId, "runId is null");
      this.status = requireNonNull(status, "status is null");
    }

    /** When the run started, ISO-8601 as the summary prints it. */
    public Builder startedAt(String startedAt) {
      this.startedAt = requireNonNull(startedAt, "startedAt is null");
      return this;
    }

    /** When the run finished, ISO-8601 as the summary prints it. */
    public Builder finishedAt(String finishedAt) {
      this.finishedAt = requireNonNull(finishedAt, "finishedAt is null");
      return this;
    }

    public Builder rowsQueried(long rowsQueried) {
      this.rowsQueried = rowsQueried;
      return this;
    }

    public Builder events(Map<EventType, EventCounts> events) {
      this.events = requireNonNull(events, "events is null");
      return this;
    }

    public Builder skipped(long skipped) {
      this.skipped = skipped;
      return this;
    }

    public Builder invalid(long invalid) {
      this.invalid = invalid;
      return this;
    }

    /** Rejected rows by reason code. */
    public Builder rejections(Map<String, Long> rejections) {
      this.rejections = requireNonNull(rejections, "rejections is null");
      return this;
    }

    public Builder error(Optional<String> error) {
      this.error = requireNonNull(error, "error is null");
      return this;
    }

    public Builder error(String error) {
      return error(Optional.of(error));
    }

    /** The error's code of the taxonomy, when it has one. */
    public Builder errorCode(Optional<ErrorCode> errorCode) {
      this.errorCode = requireNonNull(errorCode, "errorCode is null");
      return this;
    }

    /** Empty for an ordinary run; for a full resync, how many delivered rows it forgot. */
    public Builder fullResyncForgot(Optional<Long> forgot) {
      this.fullResyncForgot = requireNonNull(forgot, "fullResyncForgot is null");
      return this;
    }

    public RunSummary build() {
      return new RunSummary(
          sync,
          runId,
          status,
          requireNonNull(startedAt, "startedAt is not set"),
          requireNonNull(finishedAt, "finishedAt is not set"),
          rowsQueried,
          events,
          skipped,
          invalid,
          rejections,
          error,
          errorCode,
          fullResyncForgot);
    }
  }

  /**
   * Whether the run was a full resync: it forgot the delivered state of every row before planning.
   */
  public boolean fullResync() {
    return fullResyncForgot.isPresent();
  }

  /** The counts as the run history keeps them. */
  public RunCounts historyCounts() {
    Map<EventType, RunCounts.Events> byType = new EnumMap<>(EventType.class);
    events.forEach(
        (type, c) -> byType.put(type, new RunCounts.Events(c.planned(), c.sent(), c.rejected())));
    return new RunCounts(rowsQueried, byType, skipped, invalid, rejections);
  }

  public EventCounts counts(EventType type) {
    return events.getOrDefault(type, new EventCounts(0, 0, 0));
  }

  public long sent() {
    return events.values().stream().mapToLong(EventCounts::sent).sum();
  }

  public long rejected() {
    return rejections.values().stream().mapToLong(Long::longValue).sum();
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("sync", sync);
    o.put("run_id", runId);
    o.put("status", status.label());
    o.put("started_at", startedAt);
    o.put("finished_at", finishedAt);
    o.put("rows_queried", rowsQueried);
    for (EventType type : EventType.values()) {
      EventCounts c = counts(type);
      ObjectNode counts = o.putObject(type.label());
      counts.put("planned", c.planned());
      counts.put("sent", c.sent());
      counts.put("rejected", c.rejected());
    }
    o.put("skipped", skipped);
    o.put("invalid", invalid);
    ObjectNode byReason = o.putObject("rejections");
    rejections.forEach(byReason::put);
    if (error.isPresent()) {
      o.put("error", error.get());
    } else {
      o.putNull("error");
    }
    if (errorCode.isPresent()) {
      o.put("error_code", errorCode.get().code());
    } else {
      o.putNull("error_code");
    }
    // only on a full resync, so the summary of an ordinary run keeps its fields as they were
    fullResyncForgot.ifPresent(forgot -> o.put("full_resync", true).put("forgotten", forgot));
    // only with a sync_log: configured
    syncLog.ifPresent(log -> log.writeTo(o));
    return o;
  }

  /** One line for people: {@code customers: succeeded in 4.1s, 1000 rows, 10 added, ...}. */
  public String oneLine(double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(sync)
        .append(": ")
        .append(status.label())
        .append(String.format(" in %.1fs", seconds));
    out.append(", ").append(rowsQueried).append(" rows");
    fullResyncForgot.ifPresent(
        forgot -> out.append(", full resync (forgot ").append(forgot).append(" delivered)"));
    for (EventType type : EventType.values()) {
      EventCounts c = counts(type);
      out.append(", ")
          .append(c.sent())
          .append('/')
          .append(c.planned())
          .append(' ')
          .append(type.label())
          .append(" sent");
    }
    if (skipped > 0) {
      out.append(", ").append(skipped).append(" skipped");
    }
    if (rejected() > 0) {
      out.append(", ").append(rejected()).append(" rejected ").append(rejections);
    }
    error.ifPresent(
        e ->
            out.append(" - error")
                .append(errorCode.map(c -> " [" + c.code() + "]").orElse(""))
                .append(": ")
                .append(e));
    syncLog.flatMap(SyncLogOutcome::notice).ifPresent(n -> out.append(" - ").append(n));
    return out.toString();
  }
}
