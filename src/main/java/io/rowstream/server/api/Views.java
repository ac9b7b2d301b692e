package io.rowstream.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.StoredCall;
import io.rowstream.run.EventCounts;
import io.rowstream.run.RunTally;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON the API answers with: syncs, runs (as {@code run --json} prints them), rejections,
 * calls.
 */
public final class Views {
  static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  /**
   * A sync's status in the hosted services' words: {@code disabled} when paused, {@code querying}
   * or {@code sending} while it runs, else how its last run ended ({@code healthy}, {@code
   * warning}, {@code failed}), or {@code pending} before its first run.
   */
  public static String status(Scheduler.SyncView view, Optional<String> lastStatus) {
    if (view.current().isPresent()) {
      RunTally.Phase phase = view.current().get().tally().phase();
      return phase == RunTally.Phase.READING || phase == RunTally.Phase.PLANNING
          ? "querying"
          : "sending";
    }
    if (view.paused()) {
      return "disabled";
    }
    return switch (lastStatus.orElse("")) {
      case "succeeded" -> "healthy";
      case "completed_with_errors", "cancelled" -> "warning";
      case "failed", "interrupted" -> "failed";
      default -> "pending";
    };
  }

  static ObjectNode sync(
      SyncConfig config, Scheduler.SyncView view, Optional<RunHistory.StoredRun> stored) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", config.name());
    o.put("source", config.source());
    o.put("destination", config.destination());
    o.put("stream", config.stream());
    o.put("schedule", config.schedule().describe());
    o.put("paused", view.paused());
    JsonNode last =
        view.last().<JsonNode>map(Views::run).orElse(stored.map(Views::stored).orElse(null));
    o.put("status", status(view, Optional.ofNullable(last).map(l -> l.path("status").asText())));
    o.set("last_run", last);
    putOptional(o, "next_run_at", view.nextRun().map(Object::toString));
    putOptional(o, "running_run_id", view.current().map(ScheduledRun::runId));
    putOptional(o, "queued_run_id", view.queued().map(ScheduledRun::runId));
    putOptional(o, "last_succeeded_at", view.lastSucceeded().map(Object::toString));
    return o;
  }

  /** A run the service knows: its summary once done, else its live counts. */
  public static ObjectNode run(ScheduledRun run) {
    ObjectNode o;
    if (run.summary().isPresent()) {
      o = run.summary().get().toJson();
    } else {
      RunTally tally = run.tally();
      o = JSON.createObjectNode();
      o.put("sync", run.sync());
      o.put("run_id", run.runId());
      o.put("status", run.status());
      putOptional(o, "started_at", run.startedAt().map(Object::toString));
      o.putNull("finished_at");
      o.put("rows_queried", tally.rowsRead());
      Map<EventType, EventCounts> counts = tally.liveCounts();
      for (EventType type : EventType.values()) {
        EventCounts c = counts.get(type);
        ObjectNode n = o.putObject(type.label());
        n.put("planned", c.planned());
        n.put("sent", c.sent());
        n.put("rejected", c.rejected());
      }
      o.put("skipped", tally.skipped());
      o.put("invalid", tally.invalid());
      ObjectNode reasons = o.putObject("rejections");
      tally.liveReasons().forEach(reasons::put);
      o.putNull("error");
      if (run.state() == ScheduledRun.State.RUNNING) {
        o.put("phase", tally.phase().name().toLowerCase(java.util.Locale.ROOT));
      }
      tally.cancelReason().ifPresent(r -> o.put("cancel_requested", r));
      if (run.fullResync()) {
        o.put("full_resync", true);
      }
    }
    o.put("trigger", run.trigger().label());
    o.put("queued_at", run.queuedAt().toString());
    return o;
  }

  public static ObjectNode stored(RunHistory.StoredRun run) {
    ObjectNode o =
        run.summary().isObject()
            ? ((ObjectNode) run.summary()).deepCopy()
            : JSON.createObjectNode();
    o.put("sync", run.sync());
    o.put("run_id", run.runId());
    o.put("status", run.status());
    if (!o.hasNonNull("started_at")) {
      o.put("started_at", run.startedAt());
    }
    return o;
  }

  static ObjectNode rejection(RejectedRow row) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key", row.key());
    o.put("event", row.event());
    o.put("reason", row.reason());
    o.put("message", row.message());
    return o;
  }

  static ObjectNode call(StoredCall stored) {
    ApiCall c = stored.call();
    ObjectNode o = JSON.createObjectNode();
    o.put("seq", stored.seq());
    o.put("operation", c.operation());
    o.put("started_at", c.startedAt().toString());
    o.put("duration_ms", c.duration().toNanos() / 1e6);
    o.put("attempt", c.attempt());
    o.put("http_status", c.httpStatus());
    putOptional(o, "request_id", c.requestId());
    o.put("records", c.records());
    o.put("bytes", c.bytes());
    ObjectNode failed = o.putObject("failed_by_code");
    stored.failedByCode().forEach(failed::put);
    putOptional(o, "error", c.error());
    return o;
  }

  static ObjectNode keyInCall(KeyInCall k) {
    ObjectNode o = call(k.call());
    o.put("index", k.index());
    if (k.result().isPresent()) {
      EntryResult r = k.result().get();
      o.put("shard_id", r.shardId());
      o.put("sequence_number", r.sequenceNumber());
      o.put("error_code", r.errorCode());
      o.put("error_message", r.errorMessage());
    }
    if (k.event() != null) {
      o.put("event", k.event());
    }
    k.record()
        .ifPresent(
            d -> {
              // as the history kept it: scrubbed of secrets, the data cut to debug_data_bytes
              ObjectNode record = o.putObject("record");
              record.put("partition_key", d.partitionKey());
              putOptional(record, "explicit_hash_key", d.explicitHashKey());
              record.put("data", d.data());
              record.put("bytes", d.bytes());
              record.put("truncated", d.truncated());
            });
    return o;
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }

  static void putOptional(ObjectNode o, String field, Optional<String> value) {
    if (value.isPresent()) {
      o.put(field, value.get());
    } else {
      o.putNull(field);
    }
  }
}
