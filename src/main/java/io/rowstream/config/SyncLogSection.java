package io.rowstream.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code sync_log:}, at the top of the file (every sync) and in a sync (that sync; {@code
 * false} switches it off): {@code {source: NAME, schema: rowstream_audit}}.
 */
final class SyncLogSection {
  static final String KEY = "sync_log";

  private Optional<SyncLogConfig> global = Optional.empty();
  private final Map<String, Optional<SyncLogConfig>> perSync = new LinkedHashMap<>();

  /** Reads the top-level {@code sync_log}; {@code sources} are the valid sources read so far. */
  void readTop(YamlNode top, Map<String, SourceConfig> sources) {
    if (top.has(KEY)) {
      global = read(top, top, sources);
    }
  }

  /** Reads a sync's own {@code sync_log}, which wins over the top-level one. */
  void readSync(String sync, YamlNode node, YamlNode top, Map<String, SourceConfig> sources) {
    if (node.has(KEY)) {
      perSync.put(sync, read(node, top, sources));
    }
  }

  /** Each sync's sync log, for the syncs that have one. */
  Map<String, SyncLogConfig> resolve(Set<String> syncs) {
    Map<String, SyncLogConfig> out = new LinkedHashMap<>();
    for (String sync : syncs) {
      perSync.getOrDefault(sync, global).ifPresent(log -> out.put(sync, log));
    }
    return out;
  }

  private static Optional<SyncLogConfig> read(
      YamlNode parent, YamlNode top, Map<String, SourceConfig> sources) {
    Node raw = parent.raw(KEY).orElseThrow();
    if (raw instanceof ScalarNode scalar && isFalse(scalar)) {
      return Optional.empty();
    }
    if (!(raw instanceof MappingNode)) {
      parent.problemAt(
          KEY,
          "expected {source: NAME, schema: "
              + SyncLogConfig.DEFAULT_SCHEMA
              + "} (a postgres or duckdb source), or false to write no sync log");
      return Optional.empty();
    }
    YamlNode node = parent.mapping(KEY).orElseThrow();
    node.allowOnly("source", "schema");
    String schema = node.string("schema").orElse(SyncLogConfig.DEFAULT_SCHEMA);
    boolean schemaOk = SyncLogConfig.SCHEMA.matcher(schema).matches();
    if (!schemaOk) {
      node.problemAt(
          "schema",
          "'"
              + schema
              + "' is not a schema name; expected 1 to 63 of letters, digits and _, not starting "
              + "with a digit (default "
              + SyncLogConfig.DEFAULT_SCHEMA
              + ")");
    }
    String source = node.required("source", "the name of a postgres or duckdb source of this file");
    if (source == null || !knownSource(node, top, source, sources) || !schemaOk) {
      return Optional.empty();
    }
    return Optional.of(new SyncLogConfig(source, schema));
  }

  private static boolean knownSource(
      YamlNode node, YamlNode top, String name, Map<String, SourceConfig> sources) {
    SourceConfig source = sources.get(name);
    if (source == null) {
      // a declared source that is itself invalid has its own problem already
      if (!top.mapping("sources").map(s -> s.has(name)).orElse(false)) {
        String nearest = Suggestions.nearest(name, sources.keySet());
        node.problemAt(
            "source",
            "no source named '"
                + name
                + "'"
                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                + (sources.isEmpty()
                    ? "; declare it under sources"
                    : "; declared: " + String.join(", ", sources.keySet())));
      }
      return false;
    }
    boolean writable =
        source.type() == SourceConfig.Type.POSTGRES
            || (source.type() == SourceConfig.Type.DUCKDB
                && !source.path().orElse("").equals(":memory:"));
    if (!writable) {
      node.problemAt(
          "source",
          "source '"
              + name
              + "' is "
              + (source.type() == SourceConfig.Type.DUCKDB
                  ? "an in-memory duckdb"
                  : "a " + source.type().name().toLowerCase(java.util.Locale.ROOT) + " source")
              + "; a sync log is written to a postgres source or a duckdb file");
      return false;
    }
    return true;
  }

  private static boolean isFalse(ScalarNode scalar) {
    return scalar.getTag().getValue().endsWith(":bool")
        && scalar.getValue().toLowerCase(java.util.Locale.ROOT).matches("false|off|no");
  }
}
