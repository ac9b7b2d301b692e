package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.EventType;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.server.api.RunHistory;
import io.rowstream.server.api.Views;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A run as the pages show it, from the same JSON the API answers with ({@code run --json}'s
 * summary, or live counts while it runs).
 */
final class RunJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private RunJson() {}

  /** A run this service knows: the API's JSON of it, with the phase the page shows. */
  static ObjectNode of(ScheduledRun run) {
    ObjectNode o = Views.run(run);
    if (run.summary().isPresent()) {
      o.put("phase", "done");
    } else if (run.state() != ScheduledRun.State.RUNNING) {
      o.put("phase", "queued");
    }
    return o;
  }

  static ObjectNode of(RunHistory.StoredRun run) {
    return Views.stored(run).put("phase", "done");
  }

  /** Newest first: the runs the service knows in memory, then the stored ones, without repeats. */
  static List<ObjectNode> runsOf(
      String sync, Scheduler scheduler, List<RunHistory.StoredRun> stored, int limit) {
    List<ObjectNode> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (ScheduledRun run : scheduler.runsOf(sync)) {
      out.add(of(run));
      seen.add(run.runId());
    }
    for (RunHistory.StoredRun run : stored) {
      if (!seen.contains(run.runId())) {
        out.add(of(run));
      }
    }
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** A sync's status in the hosted services' words, exactly as the API says it. */
  static String syncStatus(Scheduler.SyncView view, Optional<String> lastStatus) {
    return Views.status(view, lastStatus);
  }

  static long sent(JsonNode run) {
    long n = 0;
    for (EventType type : EventType.values()) {
      n += run.path(type.label()).path("sent").asLong();
    }
    return n;
  }

  static long rejected(JsonNode run) {
    long n = 0;
    for (EventType type : EventType.values()) {
      n += run.path(type.label()).path("rejected").asLong();
    }
    return n;
  }

  static Optional<Duration> duration(JsonNode run) {
    try {
      if (run.path("started_at").isTextual() && run.path("finished_at").isTextual()) {
        return Optional.of(
            Duration.between(
                Instant.parse(run.path("started_at").asText()),
                Instant.parse(run.path("finished_at").asText())));
      }
    } catch (DateTimeParseException e) {
      // shown without a duration
    }
    return Optional.empty();
  }

  static String seconds(Optional<Duration> d) {
    return d.map(x -> String.format(Locale.ROOT, "%.1f s", x.toMillis() / 1000.0)).orElse("");
  }

  /** The fields a row of a run table shows. */
  static Map<String, Object> row(JsonNode run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", run.path("run_id").asText());
    m.put("status", run.path("status").asText());
    m.put("startedAt", run.path("started_at").asText(""));
    m.put("duration", seconds(duration(run)));
    m.put("rowsQueried", run.path("rows_queried").asLong());
    for (EventType type : EventType.values()) {
      JsonNode c = run.path(type.label());
      m.put(type.label(), c.path("sent").asLong() + " / " + c.path("rejected").asLong());
    }
    m.put("sent", sent(run));
    m.put("rejected", rejected(run));
    m.put("error", run.path("error").isTextual() ? run.path("error").asText() : null);
    m.put("trigger", run.path("trigger").asText(""));
    return m;
  }
}
