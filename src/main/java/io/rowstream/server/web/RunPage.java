package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.StoredCall;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.server.api.ApiBackend;
import io.rowstream.server.api.RunHistory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /runs/{run_id}}: the live debugger. While the run goes on, its counts come from the
 * scheduler (the page polls {@code live.json}); once it ended, its rejected rows, its API calls and
 * a key search ({@code ?key=PK}) come from the stored history, a page at a time.
 */
final class RunPage {
  static final int PAGE_SIZE = 50;

  /** Rows read at most to filter and page the rejected rows of one run. */
  static final int MAX_ROWS = 10_000;

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
      if (!key.isEmpty()) {
        scope.put("keyResult", keySearch(sync, id, key));
      }
      rows(ctx, sync, id, scope);
      calls(ctx, sync, id, scope);
    }
    view.render(ctx, 200, "run", scope);
  }

  private Map<String, Object> keySearch(String sync, String runId, String key) {
    List<Map<String, Object>> attempts = new ArrayList<>();
    List<Map<String, Object>> rejections = new ArrayList<>();
    if (key.length() <= 1024) {
      for (RunHistory.KeyInRun k : backend.history().key(sync, key, 10)) {
        if (!k.run().runId().equals(runId)) {
          continue;
        }
        for (KeyInCall c : k.calls()) {
          ApiCall call = c.call().call();
          Optional<EntryResult> r = c.result();
          attempts.add(
              Pages.scope(
                  "callSeq",
                  c.call().seq(),
                  "attempt",
                  call.attempt(),
                  "startedAt",
                  call.startedAt().toString(),
                  "requestId",
                  call.requestId().orElse(""),
                  "httpStatus",
                  call.httpStatus(),
                  "index",
                  c.index(),
                  "shard",
                  r.map(EntryResult::shardId).orElse(""),
                  "sequenceNumber",
                  r.map(EntryResult::sequenceNumber).orElse(""),
                  "errorCode",
                  r.map(EntryResult::errorCode)
                      .orElse(call.error().isPresent() ? "call failed" : ""),
                  "errorMessage",
                  r.map(EntryResult::errorMessage).orElse(call.error().orElse("")),
                  "ok",
                  r.map(EntryResult::ok).orElse(false)));
        }
        k.rejections().forEach(rr -> rejections.add(rejection(rr)));
      }
    }
    Optional<Map<String, Object>> delivered =
        attempts.stream().filter(a -> (Boolean) a.get("ok")).findFirst();
    return Pages.scope(
        "attempts",
        attempts,
        "rejections",
        rejections,
        "found",
        !attempts.isEmpty() || !rejections.isEmpty(),
        "shard",
        delivered.map(a -> a.get("shard")).orElse(null),
        "sequenceNumber",
        delivered.map(a -> a.get("sequenceNumber")).orElse(null));
  }

  private static Map<String, Object> rejection(RejectedRow r) {
    return Pages.scope(
        "key",
        r.key() == null ? "(null)" : r.key(),
        "event",
        r.event() == null ? "" : r.event(),
        "reason",
        r.reason(),
        "message",
        r.message(),
        "keyParam",
        r.key() == null ? "" : URLEncoder.encode(r.key(), StandardCharsets.UTF_8));
  }

  private static int page(Context ctx, String param) {
    String text = ctx.queryParam(param);
    return text != null && text.matches("\\d{1,6}") ? Integer.parseInt(text) : 0;
  }

  /** The rejected rows, filtered by event and reason, a page at a time. */
  private void rows(Context ctx, String sync, String runId, Map<String, Object> scope) {
    String event = Optional.ofNullable(ctx.queryParam("event")).orElse("");
    String reason = Optional.ofNullable(ctx.queryParam("reason")).orElse("");
    int page = page(ctx, "page");
    Predicate<RejectedRow> keep =
        r ->
            (event.isEmpty() || event.equals(r.event()))
                && (reason.isEmpty() || reason.equals(r.reason()));
    List<RejectedRow> all = backend.history().rejections(sync, runId, MAX_ROWS);
    List<RejectedRow> kept = all.stream().filter(keep).toList();
    int from = Math.min(page * PAGE_SIZE, kept.size());
    List<Map<String, Object>> rows = new ArrayList<>();
    kept.subList(from, Math.min(from + PAGE_SIZE, kept.size()))
        .forEach(r -> rows.add(rejection(r)));
    List<Map<String, Object>> events = new ArrayList<>();
    for (EventType type : EventType.values()) {
      events.add(Pages.scope("value", type.label(), "selected", type.label().equals(event)));
    }
    scope.put("rows", rows);
    scope.put("rowsShown", rows.isEmpty() ? "0" : (from + 1) + "–" + (from + rows.size()));
    scope.put(
        "rowsTotal",
        kept.size() + (all.size() >= MAX_ROWS ? "+ (the first " + MAX_ROWS + " read)" : ""));
    scope.put("events", events);
    scope.put("reasonFilter", reason);
    scope.put("eventFilter", event);
    scope.put("prevPage", page > 0 ? page - 1 : null);
    scope.put("nextPage", from + PAGE_SIZE < kept.size() ? page + 1 : null);
  }

  private void calls(Context ctx, String sync, String runId, Map<String, Object> scope) {
    int page = page(ctx, "calls_page");
    List<StoredCall> calls = backend.history().calls(sync, runId, (page + 1) * PAGE_SIZE + 1);
    int from = Math.min(page * PAGE_SIZE, calls.size());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StoredCall c : calls.subList(from, Math.min(from + PAGE_SIZE, calls.size()))) {
      rows.add(call(c));
    }
    scope.put("calls", rows);
    scope.put("callsPrev", page > 0 ? page - 1 : null);
    scope.put("callsNext", calls.size() > (page + 1) * PAGE_SIZE ? page + 1 : null);
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
          .rejections(sync, id, MAX_EXPORT)
          .forEach(
              r -> {
                Map<String, Object> row = rejection(r);
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
