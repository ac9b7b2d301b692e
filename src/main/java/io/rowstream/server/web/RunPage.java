package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RowFilter;
import io.rowstream.history.RowOutcome;
import io.rowstream.history.RunRow;
import io.rowstream.history.StoredCall;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.server.api.ApiBackend;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /runs/{run_id}}: the live debugger. While the run goes on, its counts come from the
 * scheduler (the page polls {@code live.json}); once it ended, its rows (delivered and rejected, by
 * event and outcome), its API calls, a key search ({@code ?key=PK}) and a call's request entries
 * ({@code ?call=SEQ}) come from the stored history, a page at a time, on one reader.
 */
final class RunPage {
  static final int PAGE_SIZE = 50;

  /** Rows an export holds at most. */
  static final int MAX_EXPORT = 100_000;

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");

  private final ApiBackend backend;

  RunPage(ApiBackend backend) {
    this.backend = backend;
  }

  /** The run as JSON (live or stored), or empty when no sync knows it. */
  private Optional<ObjectNode> find(String id) {
    if (!RUN_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Optional<ScheduledRun> live = backend.scheduler().find(id);
    if (live.isPresent()) {
      return Optional.of(RunJson.of(live.get()));
    }
    return backend.history().run(id).map(RunJson::of);
  }

  void live(Context ctx, WebUi.View view) {
    Optional<ObjectNode> run = find(ctx.pathParam("run"));
    if (run.isEmpty()) {
      ctx.attribute("rowstream.error-written", true);
      ctx.status(404);
      view.json(ctx, "application/json", "{\"error\": \"no such run\"}");
      return;
    }
    view.json(ctx, "application/json", run.get().toString());
  }

  void page(Context ctx, WebUi.View view) {
    String id = ctx.pathParam("run");
    Optional<ObjectNode> found = find(id);
    if (found.isEmpty()) {
      view.notFound(ctx, "no run '" + id + "' (runs older than the retention are deleted)");
      return;
    }
    ObjectNode run = found.get();
    String sync = run.path("sync").asText();
    boolean done = run.path("finished_at").isTextual();
    Map<String, Object> scope =
        Pages.scope(
            "title",
            "Run " + id,
            "runId",
            id,
            "sync",
            sync,
            "status",
            run.path("status").asText(),
            "phase",
            run.path("phase").asText(""),
            "trigger",
            run.path("trigger").asText(""),
            "startedAt",
            run.path("started_at").asText(""),
            "finishedAt",
            run.path("finished_at").asText(""),
            "duration",
            RunJson.seconds(RunJson.duration(run)),
            "rowsQueried",
            run.path("rows_queried").asLong(),
            "skipped",
            run.path("skipped").asLong(),
            "invalid",
            run.path("invalid").asLong(),
            "error",
            run.path("error").isTextual() ? run.path("error").asText() : null,
            "done",
            done,
            "running",
            !done);
    List<Map<String, Object>> counts = new ArrayList<>();
    for (EventType type : EventType.values()) {
      JsonNode c = run.path(type.label());
      counts.add(
          Pages.scope(
              "event",
              type.label(),
              "planned",
              c.path("planned").asLong(),
              "sent",
              c.path("sent").asLong(),
              "rejected",
              c.path("rejected").asLong()));
    }
    scope.put("counts", counts);
    List<Map<String, Object>> reasons = new ArrayList<>();
    run.path("rejections")
        .fields()
        .forEachRemaining(
            e -> reasons.add(Pages.scope("reason", e.getKey(), "count", e.getValue().asLong())));
    scope.put("reasons", reasons);
    if (done) {
      String key = Optional.ofNullable(ctx.queryParam("key")).orElse("").strip();
      scope.put("key", key);
      Optional<Long> callSeq = number(ctx.queryParam("call"));
      backend
          .history()
          .read(
              sync,
              history -> {
                if (!key.isEmpty()) {
                  scope.put("keyResult", RunDetail.keySearch(history, id, key));
                }
                callSeq.ifPresent(
                    seq -> scope.put("callResult", RunDetail.callEntries(history, id, seq)));
                rows(ctx, history, run, id, scope);
                calls(ctx, history, id, scope);
                return null;
              });
    }
    view.render(ctx, 200, "run", scope);
  }

  private static Optional<Long> number(String text) {
    return text != null && text.matches("\\d{1,12}")
        ? Optional.of(Long.parseLong(text))
        : Optional.empty();
  }

  private static int page(Context ctx, String param) {
    String text = ctx.queryParam(param);
    return text != null && text.matches("\\d{1,6}") ? Integer.parseInt(text) : 0;
  }

  /** The run's rows (delivered and rejected), filtered by event and outcome, a page at a time. */
  private void rows(
      Context ctx, HistoryReader history, ObjectNode run, String runId, Map<String, Object> scope) {
    String event = Optional.ofNullable(ctx.queryParam("event")).orElse("");
    String outcome = Optional.ofNullable(ctx.queryParam("outcome")).orElse("");
    Optional<EventType> eventType = EventType.parse(event);
    Optional<RowOutcome> rowOutcome = RowOutcome.parse(outcome);
    RowFilter filter = new RowFilter(eventType.map(EventType::label), rowOutcome);
    int page = page(ctx, "page");
    List<RunRow> found = history.rows(runId, filter, page * PAGE_SIZE, PAGE_SIZE + 1);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RunRow r : found.subList(0, Math.min(PAGE_SIZE, found.size()))) {
      rows.add(row(r));
    }
    long total = 0;
    for (EventType type : EventType.values()) {
      if (eventType.isEmpty() || eventType.get() == type) {
        JsonNode c = run.path(type.label());
        total +=
            (rowOutcome.isEmpty() || rowOutcome.get() == RowOutcome.SUCCESSFUL
                    ? c.path("sent").asLong()
                    : 0)
                + (rowOutcome.isEmpty() || rowOutcome.get() == RowOutcome.REJECTED
                    ? c.path("rejected").asLong()
                    : 0);
      }
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (EventType type : EventType.values()) {
      events.add(Pages.scope("value", type.label(), "selected", type.label().equals(event)));
    }
    List<Map<String, Object>> outcomes = new ArrayList<>();
    for (RowOutcome o : RowOutcome.values()) {
      outcomes.add(Pages.scope("value", o.label(), "selected", o.label().equals(outcome)));
    }
    int from = page * PAGE_SIZE;
    scope.put("rows", rows);
    scope.put("rowsShown", rows.isEmpty() ? "0" : (from + 1) + "–" + (from + rows.size()));
    scope.put("rowsTotal", total);
    scope.put("events", events);
    scope.put("outcomes", outcomes);
    scope.put("eventFilter", eventType.map(EventType::label).orElse(""));
    scope.put("outcomeFilter", rowOutcome.map(RowOutcome::label).orElse(""));
    scope.put("prevPage", page > 0 ? page - 1 : null);
    scope.put("nextPage", found.size() > PAGE_SIZE ? page + 1 : null);
  }

  private static Map<String, Object> row(RunRow r) {
    Map<String, Object> row =
        Pages.scope(
            "key",
            r.key() == null ? "(null)" : r.key(),
            "keyParam",
            r.key() == null ? "" : URLEncoder.encode(r.key(), StandardCharsets.UTF_8),
            "event",
            r.event() == null ? "" : r.event(),
            "outcome",
            r.outcome().label(),
            "callSeq",
            r.callSeq() > 0 ? r.callSeq() : null,
            "shard",
            r.stored().map(EntryResult::shardId).orElse(""),
            "sequenceNumber",
            r.stored().map(EntryResult::sequenceNumber).orElse(""),
            "reason",
            r.rejection().map(RejectedRow::reason).orElse(""),
            "message",
            r.rejection().map(RejectedRow::message).orElse(""));
    return row;
  }

  private void calls(Context ctx, HistoryReader history, String runId, Map<String, Object> scope) {
    int page = page(ctx, "calls_page");
    List<StoredCall> calls = history.calls(runId, page * PAGE_SIZE, PAGE_SIZE + 1);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StoredCall c : calls.subList(0, Math.min(PAGE_SIZE, calls.size()))) {
      rows.add(call(c));
    }
    scope.put("calls", rows);
    scope.put("callsPrev", page > 0 ? page - 1 : null);
    scope.put("callsNext", calls.size() > PAGE_SIZE ? page + 1 : null);
  }

  private static Map<String, Object> call(StoredCall stored) {
    ApiCall c = stored.call();
    List<String> failed = new ArrayList<>();
    stored.failedByCode().forEach((code, n) -> failed.add(code + ": " + n));
    return Pages.scope(
        "seq",
        stored.seq(),
        "operation",
        c.operation(),
        "startedAt",
        c.startedAt().toString(),
        "durationMs",
        String.format(Locale.ROOT, "%.1f", c.duration().toNanos() / 1e6),
        "attempt",
        c.attempt(),
        "httpStatus",
        c.httpStatus(),
        "requestId",
        c.requestId().orElse(""),
        "records",
        c.records(),
        "bytes",
        c.bytes(),
        "failed",
        String.join(", ", failed),
        "error",
        c.error().orElse(""));
  }

  void exportRows(Context ctx, WebUi.View view) {
    export(ctx, view, true);
  }

  void exportCalls(Context ctx, WebUi.View view) {
    export(ctx, view, false);
  }

  private void export(Context ctx, WebUi.View view, boolean rows) {
    String id = ctx.pathParam("run");
    String format = ctx.pathParam("format");
    Optional<ObjectNode> run = find(id);
    if (run.isEmpty() || !(format.equals("csv") || format.equals("json"))) {
      view.notFound(
          ctx, run.isEmpty() ? "no run '" + id + "'" : "export as .csv or .json, not ." + format);
      return;
    }
    String sync = run.get().path("sync").asText();
    List<Map<String, Object>> records = new ArrayList<>();
    if (rows) {
      backend
          .history()
          .read(sync, h -> h.rows(id, RowFilter.ALL, 0, MAX_EXPORT))
          .forEach(
              r -> {
                Map<String, Object> row = row(r);
                row.remove("keyParam");
                records.add(row);
              });
    } else {
      backend.history().calls(sync, id, MAX_EXPORT).forEach(c -> records.add(call(c)));
    }
    String name = id + "-" + (rows ? "rows" : "calls") + "." + format;
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    if (format.equals("json")) {
      ArrayNode list = RunJson.JSON.createArrayNode();
      records.forEach(r -> list.add(RunJson.JSON.valueToTree(r)));
      view.json(ctx, "application/json", list.toString());
    } else {
      view.json(ctx, "text/csv; charset=utf-8", Csv.of(records));
    }
  }
}
