package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.alerts.AlertState;
import io.rowstream.alerts.Trigger;
import io.rowstream.config.AlertsConfig;
import io.rowstream.config.MessageSpec;
import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.schedule.ScheduledRun;
import io.rowstream.schedule.Scheduler;
import io.rowstream.server.api.ApiBackend;
import io.rowstream.server.api.RunHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /}: every sync at a glance; {@code /syncs/{sync}}: one sync, its runs and its config. */
final class SyncPages {
  static final List<String> STATUSES =
      List.of("pending", "querying", "sending", "healthy", "warning", "failed", "disabled");

  /** What {@code ?alert=} filters the overview by. */
  static final List<String> ALERT_FILTERS = List.of("ok", "firing", "off");

  /** Runs shown in a sync's history and chart. */
  static final int HISTORY = 30;

  private final ApiBackend backend;

  SyncPages(ApiBackend backend) {
    this.backend = backend;
  }

  void overview(Context ctx, WebUi.View view) {
    String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").trim();
    String status = Optional.ofNullable(ctx.queryParam("status")).orElse("");
    String alert = Optional.ofNullable(ctx.queryParam("alert")).orElse("");
    List<Map<String, Object>> rows = new ArrayList<>();
    int total = 0;
    for (SyncConfig sync : backend.config().syncs().values()) {
      Optional<Scheduler.SyncView> v = backend.scheduler().view(sync.name());
      if (v.isEmpty()) {
        continue;
      }
      total++;
      Map<String, Object> row = summary(sync, v.get());
      boolean nameOk =
          q.isEmpty() || sync.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
      boolean alertOk =
          alert.isEmpty() || alert.equals(((Map<?, ?>) row.get("alert")).get("filter"));
      if (nameOk && alertOk && (status.isEmpty() || status.equals(row.get("status")))) {
        rows.add(row);
      }
    }
    List<Map<String, Object>> statuses = new ArrayList<>();
    for (String s : STATUSES) {
      statuses.add(Pages.scope("value", s, "selected", s.equals(status)));
    }
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (String a : ALERT_FILTERS) {
      alerts.add(Pages.scope("value", a, "selected", a.equals(alert)));
    }
    ApiBackend.ConfigState state = backend.configState();
    view.render(
        ctx,
        200,
        "overview",
        Pages.scope(
            "title",
            "Syncs",
            "syncs",
            rows,
            "q",
            q,
            "statuses",
            statuses,
            "alerts",
            alerts,
            "shown",
            rows.size(),
            "total",
            total,
            "configBox",
            state.ok()
                ? null
                : Pages.scope("loadedAt", state.loadedAt(), "problems", state.problems())));
  }

  private Map<String, Object> summary(SyncConfig sync, Scheduler.SyncView v) {
    Optional<JsonNode> last =
        v.last()
            .<JsonNode>map(RunJson::of)
            .or(() -> backend.history().latest(sync.name()).map(RunJson::of));
    String status = RunJson.syncStatus(v, last.map(l -> l.path("status").asText()));
    Map<String, Object> row =
        Pages.scope(
            "name",
            sync.name(),
            "status",
            status,
            "source",
            sync.source(),
            "model",
            model(sync),
            "destination",
            sync.destination(),
            "stream",
            sync.stream(),
            "schedule",
            sync.schedule().describe(),
            "paused",
            v.paused(),
            "nextRun",
            v.nextRun().map(Object::toString).orElse(""),
            "runningRunId",
            v.current().map(ScheduledRun::runId).orElse(null));
    row.put("last", last.map(RunJson::row).orElse(null));
    row.put("alert", alert(sync));
    return row;
  }

  /**
   * The sync's alert state: {@code off} when no channel receives its alerts, else the worst level
   * of its triggers ({@code ok}, {@code warning}, {@code critical}), since when, which triggers and
   * the channels that receive that level. {@code filter} is what {@code ?alert=} matches: ok,
   * firing, off.
   */
  private Map<String, Object> alert(SyncConfig sync) {
    List<AlertsConfig.Recipient> recipients = backend.config().alerts().recipientsFor(sync);
    if (recipients.isEmpty()) {
      return Pages.scope("level", "off", "filter", "off", "firing", false);
    }
    AlertState state = backend.alertState(sync.name());
    AlertsConfig.Level worst = AlertsConfig.Level.OK;
    Instant since = null;
    List<String> triggers = new ArrayList<>();
    for (Map.Entry<Trigger, AlertState.TriggerState> t : state.triggers().entrySet()) {
      AlertsConfig.Level level = t.getValue().level();
      if (level == AlertsConfig.Level.OK) {
        continue;
      }
      triggers.add(t.getKey().code());
      if (level.compareTo(worst) > 0) {
        worst = level;
      }
      if (since == null || t.getValue().since().isBefore(since)) {
        since = t.getValue().since();
      }
    }
    if (worst == AlertsConfig.Level.OK) {
      return Pages.scope("level", "ok", "filter", "ok", "firing", false);
    }
    AlertsConfig.Level firing = worst;
    List<String> channels =
        recipients.stream()
            .filter(r -> r.level().compareTo(firing) <= 0)
            .map(AlertsConfig.Recipient::channel)
            .distinct()
            .toList();
    Collections.sort(triggers);
    return Pages.scope(
        "level",
        worst.name().toLowerCase(Locale.ROOT),
        "filter",
        "firing",
        "firing",
        true,
        "since",
        since.toString(),
        "triggers",
        String.join(", ", triggers),
        "channels",
        channels.isEmpty() ? "no channel at this level" : String.join(", ", channels));
  }

  /** The model's query (a {@code table:} sync reads as a query of the whole table). */
  static String model(SyncConfig sync) {
    return sync.query();
  }

  void sync(Context ctx, WebUi.View view) {
    String name = ctx.pathParam("sync");
    SyncConfig sync = backend.config().syncs().get(name);
    Optional<Scheduler.SyncView> v = backend.scheduler().view(name);
    if (sync == null || v.isEmpty()) {
      view.notFound(
          ctx,
          "no sync named '"
              + name
              + "'; the syncs are: "
              + String.join(", ", backend.config().syncs().keySet()));
      return;
    }
    List<RunHistory.StoredRun> stored;
    String historyNote = null;
    try {
      stored = backend.history().runs(name, HISTORY, Optional.empty());
    } catch (RunHistory.Busy e) {
      stored = backend.history().latest(name).map(List::of).orElse(List.of());
      historyNote =
          "The stored history can be read when the running run ends; the runs below are those this "
              + "service knows in memory.";
    }
    List<ObjectNode> runs = RunJson.runsOf(name, backend.scheduler(), stored, HISTORY);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ObjectNode run : runs) {
      rows.add(RunJson.row(run));
    }
    List<JsonNode> oldestFirst = new ArrayList<>(runs);
    Collections.reverse(oldestFirst);
    Map<String, Object> scope = summary(sync, v.get());
    scope.put("title", name);
    scope.put("runs", rows);
    scope.put("historyNote", historyNote);
    scope.put("chart", Chart.of(oldestFirst));
    scope.put("config", config(sync));
    view.render(ctx, 200, "sync", scope);
  }

  /** The sync's settings as name/value pairs; its source's secrets are never among them. */
  private List<Map<String, Object>> config(SyncConfig sync) {
    List<Map<String, Object>> rows = new ArrayList<>();
    SourceConfig source = backend.config().sources().get(sync.source());
    rows.add(
        kv(
            "source",
            sync.source()
                + (source == null
                    ? ""
                    : " ("
                        + source.type().name().toLowerCase(Locale.ROOT)
                        + source.path().map(p -> ", " + p).orElse("")
                        + source.url().map(u -> ", " + u).orElse("")
                        + source.user().map(u -> ", user " + u).orElse("")
                        + source.password().map(p -> ", password ****").orElse("")
                        + ")")));
    rows.add(kv("query", sync.query()));
    rows.add(kv("primary_key", sync.primaryKey()));
    rows.add(kv("destination", sync.destination()));
    rows.add(kv("stream", sync.stream()));
    List<String> on = new ArrayList<>();
    for (EventType type : EventType.values()) {
      if (sync.on().contains(type)) {
        on.add(type.label());
      }
    }
    rows.add(kv("on", String.join(", ", on)));
    MessageSpec m = sync.message();
    rows.add(
        kv(
            "message",
            switch (m.mode()) {
              case TEMPLATE -> "template:\n" + m.template();
              case COLUMN -> "column: " + m.column();
              default -> "columns: " + (m.columns().isEmpty() ? "all" : m.columns().toString());
            }));
    rows.add(kv("partition_key", sync.partitionKey().orElse("(the primary key)")));
    rows.add(kv("explicit_hash_key", sync.explicitHashKey().orElse("(none)")));
    rows.add(kv("initial_sync", sync.initialSync().name().toLowerCase(Locale.ROOT)));
    rows.add(kv("schedule", sync.schedule().describe()));
    rows.add(kv("max_record_bytes", String.valueOf(sync.maxRecordBytes())));
    return rows;
  }

  private static Map<String, Object> kv(String key, String value) {
    return Pages.scope("key", key, "value", value);
  }
}
