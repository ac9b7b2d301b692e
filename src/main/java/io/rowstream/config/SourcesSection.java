package io.rowstream.config;

import io.rowstream.config.SourceConfig.Type;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code sources:}: where each model's rows come from. */
final class SourcesSection {
  private SourcesSection() {}

  /** The valid sources by name; {@code base} is the config's folder, for relative DuckDB paths. */
  static Map<String, SourceConfig> read(YamlNode top, Path base) {
    Map<String, SourceConfig> sources = new LinkedHashMap<>();
    top.namedMappings("sources")
        .forEach(
            (name, node) ->
                source(name, node, base)
                    .map(s -> PlanningSection.read(s, node))
                    .ifPresent(s -> sources.put(name, s)));
    return sources;
  }

  private static Optional<SourceConfig> source(String name, YamlNode node, Path base) {
    ConfigValues.checkName(name, node);
    String typeText = node.required("type", "one of duckdb, postgres, mysql (or mariadb), jdbc");
    if (typeText == null) {
      return Optional.empty();
    }
    Type type;
    try {
      // mariadb is another name of mysql: one driver (MariaDB Connector/J) reads both servers
      type =
          typeText.equalsIgnoreCase("mariadb")
              ? Type.MYSQL
              : Type.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      node.problemAt(
          "type",
          "'"
              + typeText
              + "' is not a source type; valid: duckdb, postgres, mysql (or mariadb), jdbc");
      return Optional.empty();
    }
    if (type == Type.DUCKDB) {
      node.allowOnly(PlanningSection.with("type", "path"));
      String path = node.required("path", "a .duckdb file (relative to this config), or :memory:");
      if (path == null) {
        return Optional.empty();
      }
      String resolved = path.equals(":memory:") ? path : base.resolve(path).toString();
      return Optional.of(
          new SourceConfig(
              name,
              type,
              Optional.of(resolved),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    node.allowOnly(PlanningSection.with("type", "url", "user", "password", "driver"));
    String example =
        switch (type) {
          case POSTGRES -> "jdbc:postgresql://HOST:5432/DATABASE";
          case MYSQL -> "jdbc:mysql://HOST:3306/DATABASE";
          default -> "a JDBC URL such as jdbc:sqlserver://HOST;databaseName=DB";
        };
    String url = node.required("url", example);
    if (url != null && !url.startsWith("jdbc:")) {
      node.problemAt("url", "'" + url + "' is not a JDBC URL; expected " + example);
    }
    if (url != null && type == Type.POSTGRES && !url.startsWith("jdbc:postgresql:")) {
      node.problemAt("url", "a postgres source needs a jdbc:postgresql: URL, such as " + example);
    }
    if (url != null
        && type == Type.MYSQL
        && !(url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:"))) {
      node.problemAt(
          "url", "a mysql source needs a jdbc:mysql: or jdbc:mariadb: URL, such as " + example);
    }
    if (type != Type.JDBC && node.has("driver")) {
      node.problemAt(
          "driver",
          "only a jdbc source takes a driver class; "
              + type.name().toLowerCase(Locale.ROOT)
              + " brings its own");
    }
    return Optional.of(
        new SourceConfig(
            name,
            type,
            Optional.empty(),
            Optional.ofNullable(url),
            node.string("user"),
            node.secret("password"),
            node.string("driver")));
  }
}
