package io.rowstream.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * The {@code state:} section: a folder (the embedded state, as before), or a mapping with {@code
 * type: duckdb} (and {@code path}) or {@code type: postgres} (with {@code url}, {@code user},
 * {@code password}, {@code schema}).
 */
final class StateSectionReader {
  private static final Pattern POSTGRES_URL =
      Pattern.compile("jdbc:postgresql://[^/?#\\s]+/[^?#\\s/]+(\\?\\S*)?");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String URL_HELP =
      "expected jdbc:postgresql://HOST[:PORT]/DATABASE, such as"
          + " jdbc:postgresql://127.0.0.1:5432/rowstream";

  private StateSectionReader() {}

  static StateConfig read(YamlNode top, Path base) {
    Path defaultDir = base.resolve(RowstreamConfig.DEFAULT_STATE_DIR);
    if (top.raw("state").filter(n -> n instanceof MappingNode).isEmpty()) {
      Optional<String> text = top.string("state");
      Path dir = base.resolve(text.orElse(RowstreamConfig.DEFAULT_STATE_DIR));
      if (text.filter(s -> s.startsWith("jdbc:")).isPresent()) {
        top.problemAt(
            "state",
            "a database URL alone is not a state; write state: {type: postgres, url: ..., user:"
                + " ..., password: ...}, or a folder path such as .rowstream");
      } else {
        ConfigFiles.unwritableFolder(dir).ifPresent(why -> top.problemAt("state", why));
      }
      return StateConfig.embedded(dir);
    }
    YamlNode state = top.mapping("state").orElseThrow();
    String type = state.string("type").orElse(StateConfig.Type.DUCKDB.label());
    if (type.equals("duckdb")) {
      state.allowOnly("type", "path");
      Path dir = base.resolve(state.string("path").orElse(RowstreamConfig.DEFAULT_STATE_DIR));
      ConfigFiles.unwritableFolder(dir).ifPresent(why -> state.problemAt("path", why));
      return StateConfig.embedded(dir);
    }
    if (!type.equals("postgres")) {
      state.problemAt(
          "type",
          "'"
              + type
              + "' is not a state type; expected duckdb (the embedded state in a folder, the"
              + " default) or postgres (a shared PostgreSQL database)");
      return StateConfig.embedded(defaultDir);
    }
    state.allowOnly("type", "url", "user", "password", "schema");
    String url = state.required("url", URL_HELP);
    if (url != null && !POSTGRES_URL.matcher(url).matches()) {
      // the URL may hold a password: never echo it
      state.problemAt("url", "is not a PostgreSQL JDBC URL; " + URL_HELP);
      url = null;
    }
    String schema = state.string("schema").orElse(StateConfig.DEFAULT_SCHEMA);
    if (!SCHEMA.matcher(schema).matches()) {
      state.problemAt(
          "schema",
          "'"
              + schema
              + "' is not a schema name; expected lower-case letters, digits and _, such as "
              + StateConfig.DEFAULT_SCHEMA);
      schema = StateConfig.DEFAULT_SCHEMA;
    }
    ConfigFiles.unwritableFolder(defaultDir).ifPresent(why -> top.problemAt("state", why));
    return url == null
        ? StateConfig.embedded(defaultDir)
        : StateConfig.postgres(
            defaultDir, url, state.string("user"), state.secret("password"), schema);
  }
}
