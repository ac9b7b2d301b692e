package io.rowstream.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.config.ConfigProblem;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.MessageSpec;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.ScheduleSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.delivery.StreamAdmin;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.message.Rendered;
import io.rowstream.run.Preview;
import io.rowstream.server.api.ApiBackend;
import io.rowstream.template.TemplateSyntaxException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /syncs/{sync}/edit} and {@code /syncs/new}: the sync editor. The live preview renders the
 * first rows of the real model with the form as it is now (what {@code rowstream preview} shows);
 * Save validates the whole file with the sync spliced in ({@link SyncYaml}), keeps the old file as
 * {@code rowstream.yaml.bak}, writes the new one and has the service reload it.
 */
final class SyncEditor {
  static final int PREVIEW_ROWS = 5;

  private final ApiBackend backend;

  SyncEditor(ApiBackend backend) {
    this.backend = backend;
  }

  void edit(Context ctx, WebUi.View view) {
    String name = ctx.pathParam("sync");
    SyncConfig sync = backend.config().syncs().get(name);
    if (sync == null) {
      view.notFound(ctx, "no sync named '" + name + "'");
      return;
    }
    form(ctx, view, 200, SyncDraft.of(sync), false, List.of());
  }

  void create(Context ctx, WebUi.View view) {
    RowstreamConfig c = backend.config();
    form(
        ctx,
        view,
        200,
        SyncDraft.blank(
            c.sources().keySet().stream().findFirst().orElse(""),
            c.destinations().keySet().stream().findFirst().orElse("")),
        true,
        List.of());
  }

  private void form(
      Context ctx, WebUi.View view, int status, SyncDraft d, boolean isNew, List<String> problems) {
    RowstreamConfig c = backend.config();
    List<Map<String, Object>> events = new ArrayList<>();
    for (EventType type : EventType.values()) {
      events.add(Pages.scope("value", type.label(), "checked", d.on().contains(type)));
    }
    Map<String, Object> scope =
        Pages.scope(
            "title",
            isNew ? "New sync" : "Edit " + d.name(),
            "isNew",
            isNew,
            "name",
            d.name(),
            "action",
            isNew
                ? "/syncs/new"
                : "/syncs/" + URLEncoder.encode(d.name(), StandardCharsets.UTF_8) + "/edit",
            "sources",
            options(c.sources().keySet(), d.source()),
            "destinationOptions",
            options(c.destinations().keySet(), d.destination()),
            "isTable",
            d.modelKind().equals("table"),
            "model",
            d.model(),
            "primaryKey",
            d.primaryKey(),
            "stream",
            d.stream(),
            "streams",
            streams(d.destination()),
            "events",
            events,
            "modeTemplate",
            d.mode().equals("template"),
            "modeColumn",
            d.mode().equals("column"),
            "modeColumns",
            d.mode().equals("columns"),
            "template",
            d.template(),
            "column",
            d.column(),
            "mapping",
            mapping(d),
            "partitionKey",
            d.partitionKey(),
            "explicitHashKey",
            d.explicitHashKey(),
            "skip",
            d.initialSync().equals("skip"),
            "problems",
            problems);
    view.render(ctx, status, "edit", scope);
  }

  /** The field mapper's rows: column and message key (empty when the key is the column's name). */
  private static List<Map<String, Object>> mapping(SyncDraft d) {
    List<Map<String, Object>> rows = new ArrayList<>();
    d.columnMap()
        .forEach(
            (key, column) ->
                rows.add(Pages.scope("column", column, "key", key.equals(column) ? "" : key)));
    return rows;
  }

  private static List<Map<String, Object>> options(Iterable<String> values, String selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    values.forEach(v -> out.add(Pages.scope("value", v, "selected", v.equals(selected))));
    return out;
  }

  /** The destination's streams (ListStreams), or none when they cannot be listed. */
  private List<String> streams(String destination) {
    if (!backend.config().destinations().containsKey(destination)) {
      return List.of();
    }
    try (KinesisDestination kinesis =
        KinesisDestination.connect(backend.config().destination(destination))) {
      return new StreamAdmin(kinesis).streams();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  void streamsJson(Context ctx, WebUi.View view) {
    ArrayNode list = RunJson.JSON.createArrayNode();
    streams(ctx.pathParam("dest")).forEach(list::add);
    view.json(ctx, "application/json", list.toString());
  }

  /**
   * The first rows of the model rendered with the form as posted: data, keys, or the error with
   * line and column.
   */
  void preview(Context ctx, WebUi.View view) {
    SyncDraft d = SyncDraft.from(ctx, "preview");
    ObjectNode out = RunJson.JSON.createObjectNode();
    ArrayNode rows = out.putArray("rows");
    try {
      RowstreamConfig c = backend.config();
      if (!c.sources().containsKey(d.source()) || d.model().isEmpty() || d.primaryKey().isEmpty()) {
        throw new IllegalArgumentException(
            "choose a source, a table or query, and the primary key");
      }
      SyncConfig sync =
          new SyncConfig(
              "preview",
              d.source(),
              d.modelKind().equals("table") ? "select * from " + d.model() : d.model(),
              d.primaryKey(),
              d.destination(),
              d.stream(),
              d.on().isEmpty() ? java.util.EnumSet.allOf(EventType.class) : d.on(),
              message(d),
              Optional.of(d.partitionKey()).filter(s -> !s.isEmpty()),
              Optional.of(d.explicitHashKey()).filter(s -> !s.isEmpty()),
              SyncConfig.InitialSync.BACKFILL,
              ScheduleSpec.MANUAL,
              SyncConfig.DEFAULT_MAX_RECORD_BYTES,
              true);
      Map<String, SyncConfig> syncs = new LinkedHashMap<>(c.syncs());
      syncs.put("preview", sync);
      RowstreamConfig draft =
          // the draft as sync "preview" beside the others; a preview writes no sync log
          c.toBuilder().syncs(syncs).syncLogs(Map.of()).build();
      for (Preview.Row row :
          new Preview(draft, Clock.systemUTC()).render("preview", PREVIEW_ROWS, EventType.ADDED)) {
        if (!out.has("columns")) {
          // the model's columns, for the field mapper's pickers
          ArrayNode columns = out.putArray("columns");
          RunJson.JSON.readTree(row.row()).fieldNames().forEachRemaining(columns::add);
        }
        ObjectNode r = rows.addObject();
        r.put("key", row.key());
        if (row.rendered() instanceof Rendered.Record rec) {
          r.put("data", new String(rec.record().data(), StandardCharsets.UTF_8));
          r.put("partition_key", rec.record().partitionKey());
          rec.record().explicitHashKey().ifPresent(h -> r.put("explicit_hash_key", h));
        } else if (row.rendered() instanceof Rendered.Invalid invalid) {
          r.put("rejected", invalid.reason() + ": " + invalid.message());
        }
      }
    } catch (TemplateSyntaxException e) {
      ObjectNode error = out.putObject("error");
      error.put("message", "line " + e.line() + ", column " + e.column() + ": " + e.reason());
      error.put("line", e.line());
      error.put("column", e.column());
    } catch (RuntimeException | IOException e) {
      out.putObject("error").put("message", String.valueOf(e.getMessage()));
    }
    view.json(ctx, "application/json", out.toString());
  }

  private static MessageSpec message(SyncDraft d) {
    return switch (d.mode()) {
      case "column" -> MessageSpec.column(d.column());
      case "columns" -> MessageSpec.columns(d.columnMap());
      default -> new MessageSpec(MessageSpec.Mode.TEMPLATE, d.template(), null, Map.of());
    };
  }

  void saveEdit(Context ctx, WebUi.View view) {
    String name = ctx.pathParam("sync");
    if (!backend.config().syncs().containsKey(name)) {
      view.notFound(ctx, "no sync named '" + name + "'");
      return;
    }
    save(ctx, view, SyncDraft.from(ctx, name), false);
  }

  void saveNew(Context ctx, WebUi.View view) {
    String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
    SyncDraft d = SyncDraft.from(ctx, name);
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      form(ctx, view, 422, d, true, List.of("the name must be 1 to 64 letters, digits, _ or -"));
      return;
    }
    if (backend.config().syncs().containsKey(name)) {
      form(ctx, view, 422, d, true, List.of("a sync named '" + name + "' exists already"));
      return;
    }
    save(ctx, view, d, true);
  }

  private synchronized void save(Context ctx, WebUi.View view, SyncDraft d, boolean isNew) {
    Path file = backend.config().file();
    Path candidate = file.resolveSibling("." + file.getFileName() + ".edit.tmp");
    try {
      String before = Files.readString(file);
      String after = SyncYaml.splice(before, d.name(), d.keys());
      Files.writeString(candidate, after);
      ConfigResult result = ConfigReader.read(candidate);
      if (!result.ok()) {
        List<String> problems = new ArrayList<>();
        for (ConfigProblem p : result.problems()) {
          problems.add(
              p.toString()
                  .replace(candidate.toString(), file.getFileName().toString())
                  .replace(candidate.getFileName().toString(), file.getFileName().toString()));
        }
        form(ctx, view, 422, d, isNew, problems);
        return;
      }
      Files.copy(
          file,
          file.resolveSibling(file.getFileName() + ".bak"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          candidate, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      form(ctx, view, 500, d, isNew, List.of("could not write " + file + ": " + e.getMessage()));
      return;
    } finally {
      try {
        Files.deleteIfExists(candidate);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
    ApiBackend.ConfigState state = backend.reload();
    if (!state.ok()) {
      form(ctx, view, 422, d, isNew, state.problems());
      return;
    }
    ctx.redirect("/syncs/" + URLEncoder.encode(d.name(), StandardCharsets.UTF_8) + "?saved=1");
  }
}
