package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.ErrorCode;
import java.util.Optional;

/**
 * What became of a run's sync log ({@code sync_log:}): written to the warehouse, pending (written
 * again at the next run), or dropped (its spool could not be written).
 */
public record SyncLogOutcome(Status status, long events, Optional<String> error) {
  /** Where a run's log is. */
  public enum Status {
    WRITTEN,
    PENDING,
    DROPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public SyncLogOutcome {
    requireNonNull(status, "status is null");
    requireNonNull(error, "error is null");
  }

  void writeTo(ObjectNode summary) {
    ObjectNode o =
        summary.putObject("sync_log").put("status", status.label()).put("events", events);
    if (error.isPresent()) {
      o.put("error_code", ErrorCode.SYNC_LOG_FAILED.code()).put("error", error.get());
    }
  }

  /** A line for people when the log was not written, else empty. */
  public Optional<String> notice() {
    return switch (status) {
      case WRITTEN -> Optional.empty();
      case PENDING ->
          Optional.of(
              "sync log not written ["
                  + ErrorCode.SYNC_LOG_FAILED.code()
                  + "]: "
                  + error.orElse("")
                  + "; it is kept and written at the next run");
      case DROPPED ->
          Optional.of(
              "sync log dropped [" + ErrorCode.SYNC_LOG_FAILED.code() + "]: " + error.orElse(""));
    };
  }
}
