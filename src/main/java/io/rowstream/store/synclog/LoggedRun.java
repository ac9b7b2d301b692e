package io.rowstream.store.synclog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.EventType;
import io.rowstream.history.RunCounts;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The run's row of a sync log: what the run did, in counts, and how it ended. */
public record LoggedRun(
    String runId,
    String sync,
    String status,
    Instant startedAt,
    Instant finishedAt,
    RunCounts counts,
    Optional<String> errorCode,
    Optional<String> error) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LoggedRun {
    requireNonNull(runId, "runId is null");
    requireNonNull(sync, "sync is null");
    requireNonNull(status, "status is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(errorCode, "errorCode is null");
    requireNonNull(error, "error is null");
  }

  ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("run_id", runId)
        .put("sync", sync)
        .put("status", status)
        .put("started_at", startedAt.toString())
        .put("finished_at", finishedAt.toString())
        .put("rows_queried", counts.rows())
        .put("skipped", counts.skipped())
        .put("invalid", counts.invalid());
    for (EventType type : EventType.values()) {
      RunCounts.Events e = counts.events(type);
      o.putObject(type.label())
          .put("planned", e.planned())
          .put("sent", e.sent())
          .put("rejected", e.rejected());
    }
    errorCode.ifPresent(c -> o.put("error_code", c));
    error.ifPresent(e -> o.put("error", e));
    return o;
  }

  static LoggedRun fromJson(JsonNode o) {
    Map<EventType, RunCounts.Events> events = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      JsonNode e = o.path(type.label());
      events.put(
          type,
          new RunCounts.Events(
              e.path("planned").asLong(), e.path("sent").asLong(), e.path("rejected").asLong()));
    }
    return new LoggedRun(
        o.path("run_id").asText(),
        o.path("sync").asText(),
        o.path("status").asText(),
        Instant.parse(o.path("started_at").asText()),
        Instant.parse(o.path("finished_at").asText()),
        new RunCounts(
            o.path("rows_queried").asLong(),
            events,
            o.path("skipped").asLong(),
            o.path("invalid").asLong(),
            Map.of()),
        Optional.ofNullable(o.get("error_code")).map(JsonNode::asText),
        Optional.ofNullable(o.get("error")).map(JsonNode::asText));
  }
}
