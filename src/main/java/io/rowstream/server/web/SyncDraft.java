package io.rowstream.server.web;

import io.javalin.http.Context;
import io.rowstream.config.MessageSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sync as the editor's form holds it: the keys the editor manages, as text. It becomes YAML
 * ({@link SyncYaml}) or, for the live preview, a {@link SyncConfig}.
 *
 * @param modelKind {@code table} or {@code query}
 * @param mode {@code template}, {@code column} or {@code columns}
 * @param columns the field mapper: one {@code key: column} per line, or a bare {@code column} that
 *     keeps its name (empty: every column); the form posts it as rows of {@code map_column} and
 *     {@code map_key}
 */
record SyncDraft(
    String name,
    String source,
    String modelKind,
    String model,
    String primaryKey,
    String destination,
    String stream,
    Set<EventType> on,
    String mode,
    String template,
    String column,
    String columns,
    String partitionKey,
    String explicitHashKey,
    String initialSync) {

  private static final Pattern TABLE_QUERY =
      Pattern.compile("select \\* from ([A-Za-z_][A-Za-z0-9_.]*)");

  static SyncDraft of(SyncConfig s) {
    Matcher table = TABLE_QUERY.matcher(s.query());
    MessageSpec m = s.message();
    StringBuilder columns = new StringBuilder();
    m.columns().forEach((k, c) -> columns.append(k).append(": ").append(c).append('\n'));
    return new SyncDraft(
        s.name(),
        s.source(),
        table.matches() ? "table" : "query",
        table.matches() ? table.group(1) : s.query(),
        s.primaryKey(),
        s.destination(),
        s.stream(),
        s.on().isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(s.on()),
        m.mode().name().toLowerCase(Locale.ROOT),
        Optional.ofNullable(m.template()).orElse(""),
        Optional.ofNullable(m.column()).orElse(""),
        columns.toString(),
        s.partitionKey().orElse(""),
        s.explicitHashKey().orElse(""),
        s.initialSync().name().toLowerCase(Locale.ROOT));
  }

  static SyncDraft blank(String source, String destination) {
    return new SyncDraft(
        "",
        source,
        "table",
        "",
        "id",
        destination,
        "",
        EnumSet.allOf(EventType.class),
        "template",
        "{\"id\": {{row.id | json}}}",
        "",
        "",
        "",
        "",
        "backfill");
  }

  static SyncDraft from(Context ctx, String name) {
    Set<EventType> on = EnumSet.noneOf(EventType.class);
    for (EventType type : EventType.values()) {
      if (ctx.formParam("on_" + type.label()) != null) {
        on.add(type);
      }
    }
    return new SyncDraft(
        name,
        form(ctx, "source"),
        form(ctx, "model_kind"),
        form(ctx, "model"),
        form(ctx, "primary_key"),
        form(ctx, "destination"),
        form(ctx, "stream"),
        on,
        form(ctx, "mode"),
        Optional.ofNullable(ctx.formParam("template")).orElse("").replace("\r\n", "\n"),
        form(ctx, "column"),
        mapped(ctx.formParams("map_column"), ctx.formParams("map_key")),
        form(ctx, "partition_key"),
        form(ctx, "explicit_hash_key"),
        form(ctx, "initial_sync"));
  }

  /**
   * The field mapper's rows as {@code key: column} lines: a row without a column is left out, one
   * without a key keeps the column's name.
   */
  static String mapped(List<String> columns, List<String> keys) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i).strip();
      String key = i < keys.size() ? keys.get(i).strip() : "";
      if (column.isEmpty()) {
        continue;
      }
      out.append(key.isEmpty() || key.equals(column) ? column : key + ": " + column).append('\n');
    }
    return out.toString();
  }

  private static String form(Context ctx, String field) {
    return Optional.ofNullable(ctx.formParam(field)).orElse("").strip();
  }

  /**
   * The field mapper's lines as key to column, in order; a bare {@code column} line keeps its name.
   */
  Map<String, String> columnMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : columns.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      int colon = l.indexOf(':');
      if (colon < 0) {
        out.put(l, l);
      } else {
        out.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
      }
    }
    return out;
  }

  /** The keys the editor writes, in order, each with its value (null: leave the key out). */
  Map<String, Object> keys() {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("source", source);
    keys.put("table", modelKind.equals("table") ? model : null);
    keys.put("query", modelKind.equals("table") ? null : model);
    keys.put("primary_key", primaryKey);
    keys.put("destination", destination);
    keys.put("stream", stream);
    List<String> events = new ArrayList<>();
    on.forEach(e -> events.add(e.label()));
    keys.put("on", on.size() == EventType.values().length ? null : events);
    keys.put(
        "message",
        switch (mode) {
          case "column" -> Map.of("column", column);
          case "columns" -> columnMap().isEmpty() ? null : Map.of("columns", columnMap());
          default -> Map.of("template", template);
        });
    keys.put("partition_key", partitionKey.isEmpty() ? null : partitionKey);
    keys.put("explicit_hash_key", explicitHashKey.isEmpty() ? null : explicitHashKey);
    keys.put("initial_sync", initialSync.equals("skip") ? "skip" : null);
    return keys;
  }
}
