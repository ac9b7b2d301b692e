package io.rowstream.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a source's {@code planning} and {@code planner_schema} keys. */
final class PlanningSection {
  /** The keys this section reads on a source. */
  static final String[] KEYS = {"planning", "planner_schema"};

  /** An unquoted PostgreSQL identifier, so the schema reads the same in SQL and in grants. */
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private PlanningSection() {}

  /** {@code allowed} with this section's keys, for {@link YamlNode#allowOnly}. */
  static String[] with(String... allowed) {
    String[] all = new String[allowed.length + KEYS.length];
    System.arraycopy(allowed, 0, all, 0, allowed.length);
    System.arraycopy(KEYS, 0, all, allowed.length, KEYS.length);
    return all;
  }

  /** {@code source} with the planning its node asks for; problems are reported on the node. */
  static SourceConfig read(SourceConfig source, YamlNode node) {
    Optional<String> modeText = node.string("planning");
    Optional<String> schemaText = node.string("planner_schema");
    SourcePlanning.Mode mode = SourcePlanning.Mode.LOCAL;
    if (modeText.isPresent()) {
      switch (modeText.get().toLowerCase(Locale.ROOT)) {
        case "local" -> mode = SourcePlanning.Mode.LOCAL;
        case "warehouse" -> mode = SourcePlanning.Mode.WAREHOUSE;
        default -> {
          node.problemAt(
              "planning",
              "'"
                  + modeText.get()
                  + "' is not a planning mode; valid: local (the default: plan in Rowstream's"
                  + " state) or warehouse (plan inside the source database)");
          return source;
        }
      }
    }
    if (mode == SourcePlanning.Mode.WAREHOUSE
        && source.type() != SourceConfig.Type.POSTGRES
        && source.type() != SourceConfig.Type.MYSQL) {
      node.problemAt(
          "planning",
          "warehouse planning supports postgres and mysql (MariaDB, MySQL) sources; this source is "
              + source.type().name().toLowerCase(Locale.ROOT)
              + " (remove planning: or set it to local)");
      return source;
    }
    if (schemaText.isPresent() && mode != SourcePlanning.Mode.WAREHOUSE) {
      node.problemAt(
          "planner_schema", "is used only with planning: warehouse; add it or remove this key");
      return source;
    }
    String schema = schemaText.orElse(SourcePlanning.DEFAULT_SCHEMA);
    if (!SCHEMA.matcher(schema).matches()) {
      node.problemAt(
          "planner_schema",
          "'"
              + schema
              + "' is not a valid schema name; expected 1 to 63 of lower-case letters, digits and"
              + " _, not starting with a digit, such as "
              + SourcePlanning.DEFAULT_SCHEMA);
      return source;
    }
    return source.withPlanning(new SourcePlanning(mode, schema));
  }
}
