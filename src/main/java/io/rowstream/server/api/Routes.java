package io.rowstream.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.run.RunOptions;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.schedule.Trigger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The handlers of the REST API; see {@code openapi.json} beside this class for the contract. */
final class Routes {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");

  private final ApiBackend backend;
  private final HttpApi http;
  private final String openApi = HttpApi.resource("openapi.json");

  Routes(ApiBackend backend, HttpApi http) {
    this.backend = backend;
    this.http = http;
  }

  void register(Javalin app) {
    app.get("/healthz", this::healthz);
    app.get(
        "/metrics",
        ctx -> http.sendText(ctx, "text/plain; version=0.0.4; charset=utf-8", backend.scrape()));
    app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    app.get("/api/v1/syncs", this::syncs);
    app.get("/api/v1/syncs/{sync}", ctx -> http.send(ctx, 200, syncView(sync(ctx))));
    app.post("/api/v1/syncs/{sync}/runs", this::trigger);
    app.get("/api/v1/syncs/{sync}/runs", this::runsOfSync);
    app.get("/api/v1/syncs/{sync}/keys/{key}", this::key);
    app.post("/api/v1/syncs/{sync}/pause", ctx -> pause(ctx, true));
    app.post("/api/v1/syncs/{sync}/resume", ctx -> pause(ctx, false));
    app.get("/api/v1/runs/{run}", ctx -> http.send(ctx, 200, run(ctx.pathParam("run"))));
    app.post("/api/v1/runs/{run}/cancel", this::cancel);
    app.get("/api/v1/runs/{run}/rejections", this::rejections);
    app.get("/api/v1/runs/{run}/calls", this::calls);
    app.post("/api/v1/reload", this::reload);
  }

  private void healthz(Context ctx) {
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("status", "serving");
    o.set("config", configState(backend.configState()));
    o.put("syncs", backend.config().syncs().size());
    o.put("running", backend.scheduler().running());
    http.send(ctx, 200, o);
  }

  private static ObjectNode configState(ApiBackend.ConfigState state) {
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("state", state.ok() ? "ok" : "invalid");
    o.put("loaded_at", state.loadedAt());
    o.put("checked_at", state.checkedAt());
    ArrayNode problems = o.putArray("problems");
    state.problems().forEach(problems::add);
    if (!state.ok()) {
      o.put(
          "detail",
          "the config file has problems; the config loaded at "
              + state.loadedAt()
              + " keeps running");
    }
    return o;
  }

  private void reload(Context ctx) {
    ApiBackend.ConfigState state = backend.reload();
    if (state.ok()) {
      http.send(ctx, 200, Views.JSON.createObjectNode().set("config", configState(state)));
      return;
    }
    ObjectNode body = Views.JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", ErrorCode.CONFIG_INVALID.code());
    error.put(
        "message",
        "the config has "
            + state.problems().size()
            + " problem(s); the config loaded at "
            + state.loadedAt()
            + " keeps running: "
            + String.join("; ", state.problems()));
    error.set("config", configState(state));
    http.send(ctx, 422, body);
  }

  private SyncConfig sync(Context ctx) {
    String name = ctx.pathParam("sync");
    SyncConfig sync = backend.config().syncs().get(name);
    if (sync == null) {
      throw ApiException.notFound(
          "no sync named '"
              + name
              + "'; the syncs are: "
              + String.join(", ", backend.config().syncs().keySet()));
    }
    return sync;
  }

  private ObjectNode syncView(SyncConfig sync) {
    Scheduler.SyncView view =
        backend
            .scheduler()
            .view(sync.name())
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "sync '" + sync.name() + "' is being reloaded; try again"));
    return Views.sync(sync, view, backend.history().latest(sync.name()));
  }

  private void syncs(Context ctx) {
    ArrayNode list = Views.array();
    for (SyncConfig sync : backend.config().syncs().values()) {
      backend
          .scheduler()
          .view(sync.name())
          .ifPresent(
              view -> list.add(Views.sync(sync, view, backend.history().latest(sync.name()))));
    }
    http.send(ctx, 200, Views.JSON.createObjectNode().set("syncs", list));
  }

  private void trigger(Context ctx) {
    SyncConfig sync = sync(ctx);
    JsonNode body = body(ctx);
    Iterator<String> fields = body.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!field.equals("full_resync")) {
        throw ApiException.badRequest(
            "unknown field '" + field + "'; the body takes only full_resync (true or false)");
      }
    }
    JsonNode fullResync = body.path("full_resync");
    if (!fullResync.isMissingNode() && !fullResync.isBoolean()) {
      throw ApiException.badRequest("full_resync must be true or false, not " + fullResync);
    }
    Optional<ScheduledRun> known =
        backend.scheduler().view(sync.name()).flatMap(Scheduler.SyncView::queued);
    ScheduledRun run;
    try {
      run =
          backend
              .scheduler()
              .trigger(
                  sync.name(),
                  Trigger.API,
                  fullResync.asBoolean(false) ? RunOptions.FULL_RESYNC : RunOptions.DEFAULT);
    } catch (IllegalStateException e) {
      throw ApiException.conflict(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(e.getMessage());
    }
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("run_id", run.runId());
    o.put("status", run.status());
    o.put("coalesced", known.map(k -> k.runId().equals(run.runId())).orElse(false));
    ctx.header("Location", "/api/v1/runs/" + run.runId());
    http.send(ctx, 202, o);
  }

  private static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return Views.JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = Views.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw ApiException.badRequest(
          "the body is not valid JSON" + where + "; send e.g. {\"full_resync\": false}");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest(
          "the body must be a JSON object such as {\"full_resync\": false}");
    }
    return node;
  }

  static int limit(Context ctx, int defaultLimit) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return defaultLimit;
    }
    if (!text.matches("\\d{1,4}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > MAX_LIMIT) {
      throw ApiException.badRequest(
          "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  private static String runId(String text, String what) {
    if (!RUN_ID.matcher(text).matches()) {
      throw ApiException.badRequest(
          what + " must be a run id such as 20261202T091500Z-1a2b3c, not '" + text + "'");
    }
    return text;
  }

  /**
   * Newest first: the runs this service queued, runs and ran lately (from memory), then the stored
   * ones; {@code before} pages past a run id given as {@code next_before}.
   */
  private void runsOfSync(Context ctx) {
    SyncConfig sync = sync(ctx);
    int limit = limit(ctx, DEFAULT_LIMIT);
    Optional<String> before =
        Optional.ofNullable(ctx.queryParam("before")).map(b -> runId(b, "before"));
    List<ScheduledRun> live = backend.scheduler().runsOf(sync.name());
    boolean beforeIsLive =
        before.isPresent() && live.stream().anyMatch(r -> r.runId().equals(before.get()));
    List<ObjectNode> runs = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    live.forEach(r -> seen.add(r.runId()));
    if (before.isEmpty() || beforeIsLive) {
      boolean past = before.isEmpty();
      for (ScheduledRun run : live) {
        if (past) {
          runs.add(Views.run(run));
        }
        past |= run.runId().equals(before.orElse(null));
      }
    }
    if (runs.size() <= limit) {
      try {
        Optional<String> storedBefore = beforeIsLive ? Optional.empty() : before;
        for (RunHistory.StoredRun run :
            backend.history().runs(sync.name(), limit + 1 + seen.size(), storedBefore)) {
          if (seen.add(run.runId())) {
            runs.add(Views.stored(run));
          }
        }
      } catch (RunHistory.Busy e) {
        if (runs.isEmpty()) {
          throw e;
        }
      }
    }
    ObjectNode o = Views.JSON.createObjectNode();
    ArrayNode list = o.putArray("runs");
    runs.stream().limit(limit).forEach(list::add);
    Views.putOptional(
        o,
        "next_before",
        runs.size() > limit
            ? Optional.of(runs.get(limit - 1).path("run_id").asText())
            : Optional.empty());
    http.send(ctx, 200, o);
  }

  private ObjectNode run(String id) {
    runId(id, "the run id");
    Optional<ScheduledRun> live = backend.scheduler().find(id);
    if (live.isPresent()) {
      return Views.run(live.get());
    }
    return backend
        .history()
        .run(id)
        .map(Views::stored)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no run '"
                        + id
                        + "' (runs older than the retention are deleted); "
                        + "list a sync's runs with GET /api/v1/syncs/{sync}/runs"));
  }

  /** The sync a run belongs to, from memory or the stored history. */
  private String syncOf(String id) {
    runId(id, "the run id");
    return backend
        .scheduler()
        .find(id)
        .map(ScheduledRun::sync)
        .or(() -> backend.history().run(id).map(RunHistory.StoredRun::sync))
        .orElseThrow(() -> ApiException.notFound("no run '" + id + "'"));
  }

  private void cancel(Context ctx) {
    String id = runId(ctx.pathParam("run"), "the run id");
    Scheduler.Cancelled outcome = backend.scheduler().cancel(id, "cancelled through the API");
    switch (outcome) {
      case DEQUEUED, REQUESTED -> {
        ObjectNode o = Views.JSON.createObjectNode();
        o.put("run_id", id);
        o.put("status", outcome == Scheduler.Cancelled.DEQUEUED ? "cancelled" : "cancelling");
        http.send(ctx, 202, o);
      }
      case ALREADY_DONE ->
          throw ApiException.conflict(
              "run '"
                  + id
                  + "' has already ended ("
                  + backend.scheduler().find(id).map(ScheduledRun::status).orElse("done")
                  + "); nothing to cancel");
      default -> {
        Optional<RunHistory.StoredRun> stored = backend.history().run(id);
        if (stored.isPresent()) {
          throw ApiException.conflict(
              "run '"
                  + id
                  + "' has already ended ("
                  + stored.get().status()
                  + "); nothing to cancel");
        }
        throw ApiException.notFound("no run '" + id + "'");
      }
    }
  }

  private void rejections(Context ctx) {
    String id = ctx.pathParam("run");
    int limit = limit(ctx, MAX_LIMIT);
    String sync = syncOf(id);
    ArrayNode list = Views.array();
    backend.history().rejections(sync, id, limit).forEach(r -> list.add(Views.rejection(r)));
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("run_id", id);
    o.set("rejections", list);
    http.send(ctx, 200, o);
  }

  private void calls(Context ctx) {
    String id = ctx.pathParam("run");
    int limit = limit(ctx, MAX_LIMIT);
    String sync = syncOf(id);
    ArrayNode list = Views.array();
    backend.history().calls(sync, id, limit).forEach(c -> list.add(Views.call(c)));
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("run_id", id);
    o.set("calls", list);
    http.send(ctx, 200, o);
  }

  private void key(Context ctx) {
    SyncConfig sync = sync(ctx);
    String key = ctx.pathParam("key");
    if (key.isEmpty() || key.length() > 1024) {
      throw ApiException.badRequest("the key must be 1 to 1024 characters");
    }
    int runs = limit(ctx, 10);
    ArrayNode list = Views.array();
    for (RunHistory.KeyInRun k : backend.history().key(sync.name(), key, runs)) {
      ObjectNode o = Views.JSON.createObjectNode();
      o.put("run_id", k.run().runId());
      o.put("started_at", k.run().startedAt());
      o.put("run_status", k.run().status());
      ArrayNode rejected = o.putArray("rejections");
      k.rejections().forEach(r -> rejected.add(Views.rejection(r)));
      ArrayNode calls = o.putArray("calls");
      k.calls().forEach(c -> calls.add(Views.keyInCall(c)));
      list.add(o);
    }
    ObjectNode o = Views.JSON.createObjectNode();
    o.put("sync", sync.name());
    o.put("key", key);
    o.set("runs", list);
    http.send(ctx, 200, o);
  }

  private void pause(Context ctx, boolean paused) {
    SyncConfig sync = sync(ctx);
    backend.scheduler().setPaused(sync.name(), paused);
    http.send(ctx, 200, syncView(sync));
  }
}
