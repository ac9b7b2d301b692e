package io.rowstream.config;

import io.rowstream.config.MessageSection.KeyTemplates;
import io.rowstream.config.SyncConfig.InitialSync;
import io.rowstream.core.EventType;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code syncs:}: each sync's query, key, stream, events and settings, its references to a
 * source and a destination checked against those declared.
 */
final class SyncsSection {
  private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
  static final int MAX_RECORD_BYTES_LIMIT = 10 * 1024 * 1024;

  private final ConfigReader reader;
  private final AlertsSection alerts;
  private final MessageSection messages;
  private final SyncLogSection syncLogs;

  SyncsSection(ConfigReader reader, AlertsSection alerts, SyncLogSection syncLogs) {
    this.reader = reader;
    this.alerts = alerts;
    this.syncLogs = syncLogs;
    this.messages = new MessageSection(reader);
  }

  /** The valid syncs by name; read after sources and destinations, which they name. */
  Map<String, SyncConfig> read(
      YamlNode top,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations) {
    Map<String, YamlNode> syncNodes = top.namedMappings("syncs");
    if (syncNodes.isEmpty() && !reader.hasProblems()) {
      top.problemAt("syncs", "at least one sync is required; see `rowstream init` for an example");
    }
    Map<String, SyncConfig> syncs = new LinkedHashMap<>();
    syncNodes.forEach(
        (name, node) ->
            sync(name, node, top, sources, destinations).ifPresent(s -> syncs.put(name, s)));
    ServiceConfigReader.checkAfter(syncNodes, syncs);
    return syncs;
  }

  private Optional<SyncConfig> sync(
      String name,
      YamlNode node,
      YamlNode top,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations) {
    ConfigValues.checkName(name, node);
    node.allowOnly(
        "source",
        "query",
        "table",
        "primary_key",
        "destination",
        "stream",
        "on",
        "message",
        "partition_key",
        "explicit_hash_key",
        "initial_sync",
        "schedule",
        "max_record_bytes",
        "after",
        "paused",
        "alerts",
        SyncLogSection.KEY);
    alerts.readSync(name, node);
    syncLogs.readSync(name, node, top, sources);
    String source = reference(node, "source", "sources", top, sources.keySet());
    String destination = reference(node, "destination", "destinations", top, destinations.keySet());

    String query = null;
    Optional<String> queryText = node.string("query");
    Optional<String> table = node.string("table");
    if (queryText.isPresent() == table.isPresent()) {
      node.problemHere("give exactly one of query (a SQL select) or table (a table name)");
    } else if (table.isPresent()) {
      if (TABLE.matcher(table.get()).matches()) {
        query = "select * from " + table.get();
      } else {
        node.problemAt(
            "table",
            "'"
                + table.get()
                + "' is not a table name; expected e.g. customers or analytics.customers");
      }
    } else if (queryText.get().isBlank()) {
      node.problemAt("query", "must not be empty: a SQL select such as select * from customers");
    } else {
      query = queryText.get().strip();
      while (query.endsWith(";")) {
        query = query.substring(0, query.length() - 1).strip();
      }
    }

    String primaryKey =
        node.required("primary_key", "the column that identifies a row, such as id");
    String stream = node.required("stream", "the name of a Kinesis stream");
    if (stream != null && !STREAM.matcher(stream).matches()) {
      node.problemAt(
          "stream",
          "'" + stream + "' is not a valid stream name: 1 to 128 of letters, digits, _ . -");
    }
    Set<EventType> on = EnumSet.allOf(EventType.class);
    Optional<List<String>> onList = node.strings("on");
    if (onList.isPresent()) {
      on = EnumSet.noneOf(EventType.class);
      for (String item : onList.get()) {
        Optional<EventType> type = EventType.parse(item == null ? "" : item);
        if (type.isEmpty()) {
          node.problemAt("on", "'" + item + "' is not an event; valid: added, changed, removed");
        } else {
          on.add(type.get());
        }
      }
      if (onList.get().isEmpty()) {
        node.problemAt("on", "must name at least one of added, changed, removed");
      }
    }
    MessageSpec message = messages.message(node);
    KeyTemplates keys = messages.keys(node);

    InitialSync initialSync = InitialSync.BACKFILL;
    Optional<String> initial = node.string("initial_sync");
    if (initial.isPresent()) {
      switch (initial.get()) {
        case "backfill" -> initialSync = InitialSync.BACKFILL;
        case "skip" -> initialSync = InitialSync.SKIP;
        default ->
            node.problemAt(
                "initial_sync", "'" + initial.get() + "' is not valid; valid: backfill, skip");
      }
    }
    ScheduleSpec schedule = ServiceConfigReader.schedule(node);
    boolean paused = ServiceConfigReader.paused(node);
    int maxRecordBytes =
        node.string("max_record_bytes")
            .map(
                text ->
                    ConfigValues.wholeNumber(text, 1, MAX_RECORD_BYTES_LIMIT)
                        .orElseGet(
                            () -> {
                              node.problemAt(
                                  "max_record_bytes",
                                  "'"
                                      + text
                                      + "' is not valid; expected a byte count from 1 to "
                                      + MAX_RECORD_BYTES_LIMIT
                                      + " (default "
                                      + SyncConfig.DEFAULT_MAX_RECORD_BYTES
                                      + ")");
                              return SyncConfig.DEFAULT_MAX_RECORD_BYTES;
                            }))
            .orElse(SyncConfig.DEFAULT_MAX_RECORD_BYTES);
    if (source == null
        || destination == null
        || query == null
        || primaryKey == null
        || stream == null
        || message == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncConfig(
            name,
            source,
            query,
            primaryKey,
            destination,
            stream,
            on,
            message,
            keys.partitionKey(),
            keys.explicitHashKey(),
            initialSync,
            schedule,
            maxRecordBytes,
            paused));
  }

  private String reference(
      YamlNode node, String key, String section, YamlNode top, Set<String> known) {
    String name = node.required(key, "the name of one of the " + section + " of this file");
    if (name == null) {
      return null;
    }
    if (!known.contains(name) && !hasDeclared(top, section, name)) {
      String nearest = Suggestions.nearest(name, known);
      node.problemAt(
          key,
          "no "
              + key
              + " named '"
              + name
              + "'"
              + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
              + (known.isEmpty()
                  ? "; declare it under " + section
                  : "; declared: " + String.join(", ", known)));
      return null;
    }
    return known.contains(name) ? name : null;
  }

  /** A name that is declared but itself invalid has its own problem already; don't add a second. */
  private static boolean hasDeclared(YamlNode top, String section, String name) {
    return top.mapping(section).map(s -> s.has(name)).orElse(false);
  }
}
