package io.rowstream.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A config of one sync with {@code alerts.SECTION} as a test gives it, read from a file. */
final class AlertsSectionYaml {
  private static final String BASE =
      """
      sources:
        model: {type: duckdb, path: model.duckdb}
      destinations:
        events: {type: kinesis, region: us-east-1}
      syncs:
        customers: {source: model, table: customers, primary_key: id, destination: events, stream: s}
      alerts:
      """;

  private AlertsSectionYaml() {}

  /**
   * Reads the config with {@code body} (YAML) under {@code alerts.section}, written in {@code dir}.
   */
  static ConfigResult read(Path dir, String section, String body) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, BASE + ("  " + section + ":\n") + body.indent(4));
    return ConfigReader.read(file, Map.of());
  }

  /** The problems found reading it, as "key: message". */
  static List<String> problems(Path dir, String section, String body) throws IOException {
    return read(dir, section, body).problems().stream()
        .map(p -> p.key() + ": " + p.message())
        .toList();
  }
}
