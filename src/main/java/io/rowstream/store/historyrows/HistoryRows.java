package io.rowstream.store.historyrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of the run history's tables as the embedded (SQLite) and the shared (PostgreSQL)
 * histories both store them: the columns of {@code runs} and {@code calls} in the order these
 * mappers read them, and the run counts as written. Dialect-free: no SQL beyond column lists, no
 * table names; each history keeps its own queries and keys.
 */
public final class HistoryRows {
  /**
   * A running run that has not reported its counts for this long is shown as interrupted, even if a
   * process with its pid is alive (pids are reused). Runs report about every second.
   */
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);

  /** The columns of {@code runs} that {@link #run} reads, in its order. */
  public static final String RUN_COLUMNS =
      "run_id, started_at, finished_at, status, phase, pid, reported_ms, rows, "
          + "added_planned, added_sent, added_rejected, changed_planned, changed_sent,"
          + " changed_rejected, removed_planned, removed_sent, removed_rejected, skipped, invalid,"
          + " error, summary";

  /** The assignments of a run's counts, for an update; {@link #countValues} gives their values. */
  public static final String COUNT_ASSIGNMENTS =
      "rows = ?, added_planned = ?, added_sent = ?, added_rejected = ?,"
          + " changed_planned = ?, changed_sent = ?, changed_rejected = ?,"
          + " removed_planned = ?, removed_sent = ?, removed_rejected = ?, skipped = ?,"
          + " invalid = ?, ";

  private static final List<String> CALL_COLUMNS =
      List.of(
          "seq",
          "operation",
          "started_ms",
          "duration_ms",
          "attempt",
          "http_status",
          "request_id",
          "records",
          "bytes",
          "failed",
          "error");

  private static final List<EventType> EVENTS =
      List.of(EventType.ADDED, EventType.CHANGED, EventType.REMOVED);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Integer>> FAILED_MAP = new TypeReference<>() {};

  private HistoryRows() {}

  /** What a run's row alone does not say: whether a running run is alive, why rows were refused. */
  public interface RunContext {
    /** Whether a run marked running still runs; its pid (null when none) and last report. */
    boolean alive(Long pid, Optional<Instant> reportedAt) throws SQLException;

    /** The run's rejected rows counted by reason. */
    Map<String, Long> reasons(String runId) throws SQLException;
  }

  /** The columns of {@code calls} that {@link #storedCall} reads, each after {@code prefix}. */
  public static String callColumns(String prefix) {
    return String.join(", ", CALL_COLUMNS.stream().map(c -> prefix + c).toList());
  }

  /** Whether a run last reported within {@link #STALE_AFTER} of the clock's now. */
  public static boolean reportedRecently(Optional<Instant> reportedAt, Clock clock) {
    return reportedAt.isPresent() && !reportedAt.get().isBefore(clock.instant().minus(STALE_AFTER));
  }

  /**
   * The run at the result's row ({@link #RUN_COLUMNS} first); a running run that is not alive is
   * shown as interrupted (the next run of the sync records it so).
   */
  public static RunView run(ResultSet rs, RunContext context) throws SQLException {
    String runId = rs.getString(1);
    RunStatus status = RunStatus.parse(rs.getString(4)).orElse(RunStatus.FAILED);
    long pidValue = rs.getLong(6);
    Long pid = rs.wasNull() ? null : pidValue;
    long reportedMs = rs.getLong(7);
    Optional<Instant> reportedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(reportedMs));
    if (status == RunStatus.RUNNING && !context.alive(pid, reportedAt)) {
      status = RunStatus.INTERRUPTED;
    }
    Map<EventType, RunCounts.Events> events = new EnumMap<>(EventType.class);
    int column = 9;
    for (EventType type : EVENTS) {
      events.put(
          type,
          new RunCounts.Events(rs.getLong(column), rs.getLong(column + 1), rs.getLong(column + 2)));
      column += 3;
    }
    RunCounts counts =
        new RunCounts(
            rs.getLong(8), events, rs.getLong(18), rs.getLong(19), context.reasons(runId));
    return new RunView(
        runId,
        status,
        rs.getString(5),
        rs.getString(2),
        Optional.ofNullable(rs.getString(3)),
        counts,
        Optional.ofNullable(rs.getString(20)),
        reportedAt,
        Optional.ofNullable(rs.getString(21)));
  }

  /** The values of {@link #COUNT_ASSIGNMENTS}, in order. */
  public static List<Object> countValues(RunCounts counts) {
    List<Object> values = new ArrayList<>();
    values.add(counts.rows());
    for (EventType type : EVENTS) {
      RunCounts.Events e = counts.events(type);
      values.addAll(List.of(e.planned(), e.sent(), e.rejected()));
    }
    values.add(counts.skipped());
    values.add(counts.invalid());
    return values;
  }

  /** The call at the result's row ({@link #callColumns} first), without its records. */
  public static StoredCall storedCall(ResultSet rs) throws SQLException {
    Map<String, Integer> failedByCode;
    try {
      failedByCode =
          rs.getString(10) == null ? Map.of() : JSON.readValue(rs.getString(10), FAILED_MAP);
    } catch (IOException e) {
      throw new SQLException("a stored call's failures are damaged: " + e.getMessage(), e);
    }
    ApiCall call =
        new ApiCall(
            rs.getString(2),
            Instant.ofEpochMilli(rs.getLong(3)),
            Duration.ofNanos(Math.round(rs.getDouble(4) * 1_000_000)),
            rs.getInt(5),
            rs.getInt(6),
            Optional.ofNullable(rs.getString(7)),
            rs.getInt(8),
            rs.getLong(9),
            List.of(),
            List.of(),
            Optional.ofNullable(rs.getString(11)));
    return new StoredCall(rs.getLong(1), call, failedByCode);
  }
}
