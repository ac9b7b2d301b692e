package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.EventType;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunView;
import java.io.IOException;

/** A run of the history as the commands print it. */
final class RunViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunViews() {}

  /**
   * The run's summary as {@code run --json} printed it; for a run that did not end (running, or
   * interrupted), the same fields from its last persisted counts, with its phase.
   */
  static ObjectNode json(String sync, RunView run) {
    if (run.summaryJson().isPresent() && !run.running()) {
      try {
        JsonNode stored = JSON.readTree(run.summaryJson().get());
        if (stored instanceof ObjectNode o) {
          o.put("status", run.status().label());
          return o;
        }
      } catch (IOException e) {
        // fall through to the typed columns, which hold the same counts
      }
    }
    ObjectNode o = JSON.createObjectNode();
    RunCounts counts = run.counts();
    o.put("sync", sync);
    o.put("run_id", run.runId());
    o.put("status", run.status().label());
    o.put("phase", run.phase());
    o.put("started_at", run.startedAt());
    o.put("finished_at", run.finishedAt().orElse(null));
    o.put("rows_queried", counts.rows());
    for (EventType type : EventType.values()) {
      RunCounts.Events c = counts.events(type);
      o.putObject(type.label())
          .put("planned", c.planned())
          .put("sent", c.sent())
          .put("rejected", c.rejected());
    }
    o.put("skipped", counts.skipped());
    o.put("invalid", counts.invalid());
    ObjectNode byReason = o.putObject("rejections");
    counts.rejections().forEach(byReason::put);
    o.put("error", run.error().orElse(null));
    run.reportedAt().ifPresent(at -> o.put("reported_at", at.toString()));
    return o;
  }
}
