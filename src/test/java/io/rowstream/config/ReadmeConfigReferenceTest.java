package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The README's configuration reference and the config readers agree: the readers themselves say
 * which keys each section takes (the "Valid keys here" of an unknown key), every one of them is
 * documented in a YAML block of the README, every key a YAML block shows is one the readers take,
 * and a block that is a whole config reads without a problem.
 */
class ReadmeConfigReferenceTest {
  private static final String PROBE = "zz_probe";
  private static final Pattern YAML_BLOCK = Pattern.compile("(?ms)^```yaml\\n(.*?)^```$");
  private static final Pattern ENV = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern COMMENTED_KEY = Pattern.compile("(?m)^\\s*#\\s+([a-z_]+):(?:\\s|$)");

  /** Containers whose keys are names the user picks, not keys the readers know. */
  private static final Set<String> NAMED =
      Set.of("sources", "destinations", "syncs", "channels", "columns");

  @TempDir Path dir;

  /** Where an unknown key lands, as YAML: each of the sections the readers check keys of. */
  private static Map<String, String> probes() {
    String p = PROBE + ": 1";
    Map<String, String> probes = new LinkedHashMap<>();
    probes.put("top level", p);
    probes.put("state (duckdb)", "state: {type: duckdb, " + p + "}");
    probes.put(
        "state (postgres)", "state: {type: postgres, url: jdbc:postgresql://h/d, " + p + "}");
    probes.put("sources (duckdb)", "sources: {m: {type: duckdb, path: m.duckdb, " + p + "}}");
    for (String type : List.of("postgres", "mysql", "jdbc")) {
      probes.put(
          "sources (" + type + ")",
          "sources: {m: {type: " + type + ", url: jdbc:" + type + "://h/d, " + p + "}}");
    }
    probes.put("destinations", "destinations: {d: {type: kinesis, " + p + "}}");
    probes.put("destinations.credentials", "destinations: {d: {credentials: {" + p + "}}}");
    probes.put("destinations.alerts", "destinations: {d: {alerts: {" + p + "}}}");
    probes.put("syncs", "syncs: {s: {" + p + "}}");
    probes.put("syncs.message", "syncs: {s: {message: {template: '{}', " + p + "}}}");
    probes.put("syncs.alerts", "syncs: {s: {alerts: {" + p + "}}}");
    probes.put("syncs.sync_log", "syncs: {s: {sync_log: {source: m, " + p + "}}}");
    probes.put("sync_log", "sync_log: {source: m, " + p + "}");
    probes.put("server", "server: {" + p + "}");
    probes.put("alerts", "alerts: {" + p + "}");
    for (String type : List.of("slack", "pagerduty", "email", "sms", "webhook")) {
      probes.put(
          "alerts.channels (" + type + ")",
          "alerts: {channels: {c: {type: " + type + ", " + p + "}}}");
    }
    probes.put("alerts.recipients", "alerts: {recipients: [{channel: c, " + p + "}]}");
    probes.put("alerts.triggers", "alerts: {triggers: {" + p + "}}");
    for (String trigger : List.of("rejected_rows", "slow_run", "data_drop", "stale")) {
      probes.put(
          "alerts.triggers." + trigger, "alerts: {triggers: {" + trigger + ": {" + p + "}}}");
    }
    return probes;
  }

  /** The keys the readers take in each section, as their unknown-key message lists them. */
  private Map<String, Set<String>> acceptedKeys() throws IOException {
    Map<String, Set<String>> accepted = new LinkedHashMap<>();
    for (Map.Entry<String, String> probe : probes().entrySet()) {
      Path file = dir.resolve("probe.yaml");
      Files.writeString(file, probe.getValue() + "\n");
      List<ConfigProblem> problems = ConfigReader.read(file, Map.of()).problems();
      ConfigProblem unknown =
          problems.stream()
              .filter(pr -> pr.key().equals(PROBE) || pr.key().endsWith("." + PROBE))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no unknown-key problem for " + probe.getKey() + ": " + problems));
      String message = unknown.message();
      String list = message.substring(message.indexOf("Valid keys here:") + 16).strip();
      Set<String> keys = new LinkedHashSet<>();
      for (String key : list.split(",")) {
        if (!key.isBlank()) {
          keys.add(key.strip());
        }
      }
      accepted.put(probe.getKey(), keys);
    }
    return accepted;
  }

  private static String readme() throws IOException {
    return Files.readString(Path.of("README.md"));
  }

  private static List<String> yamlBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(readme());
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void everyKeyTheReadersAcceptIsDocumentedInAYamlBlockOfTheReadme() throws IOException {
    String yaml = String.join("\n", yamlBlocks());
    Map<String, Set<String>> accepted = acceptedKeys();

    assertThat(accepted.get("syncs")).contains("source", "stream", "schedule", "sync_log");
    accepted.forEach(
        (section, keys) ->
            assertThat(keys)
                .as("keys of %s documented as `key:` in the README's YAML", section)
                .allSatisfy(
                    key ->
                        assertThat(yaml)
                            .containsPattern("(?m)(^|[\\s{,#])" + Pattern.quote(key) + ":")));
  }

  @Test
  void everyKeyTheReadmeShowsIsOneTheReadersAccept() throws IOException {
    Set<String> known = new TreeSet<>();
    acceptedKeys().values().forEach(known::addAll);
    Set<String> shown = new TreeSet<>();
    for (String block : yamlBlocks()) {
      // `{..., alerts: ...}` in the alerts example stands for the keys shown above it
      collectKeys(plainYaml().load(block.replace("...,", "").replace("[...]", "[]")), "", shown);
      shown.addAll(commentedKeys(block));
    }
    shown.remove("or"); // "# or: profile: ..." offers an alternative
    shown.remove("fatal_error"); // a trigger that takes no settings, `fatal_error: {}`
    known.add("fatal_error");

    assertThat(shown).isNotEmpty().isSubsetOf(known);
  }

  @Test
  void everyYamlBlockThatIsAWholeConfigReadsWithoutAProblem() throws IOException {
    int whole = 0;
    for (String block : yamlBlocks()) {
      if (!isWhole(block)) {
        continue;
      }
      whole++;
      Path file = dir.resolve("rowstream.yaml");
      Files.writeString(file, block);

      ConfigResult result = ConfigReader.read(file, env(block));

      assertThat(result.problems()).as(block).isEmpty();
    }
    assertThat(whole).as("whole configs among the README's YAML blocks").isPositive();
  }

  /**
   * The other blocks show a part of a config. One with {@code ...} adds to the reference config
   * (the first whole block) what it shows; one without replaces the top-level sections it gives.
   * Either way the result reads without a problem.
   */
  @Test
  void everyPartialYamlBlockReadsOnTopOfTheReferenceConfig() throws IOException {
    List<String> blocks = yamlBlocks();
    String reference =
        blocks.stream().filter(ReadmeConfigReferenceTest::isWhole).findFirst().orElseThrow();
    int partial = 0;
    for (String block : blocks) {
      if (isWhole(block)) {
        continue;
      }
      partial++;
      String combined =
          block.contains("...") ? mergedInto(reference, block) : replacing(reference, block);
      Path file = dir.resolve("rowstream.yaml");
      Files.writeString(file, combined);

      ConfigResult result = ConfigReader.read(file, env(combined));

      assertThat(result.problems()).as(block).isEmpty();
    }
    assertThat(partial).as("partial configs among the README's YAML blocks").isPositive();
  }

  private static boolean isWhole(String block) {
    return (block.startsWith("sources:") || block.contains("\nsources:"))
        && block.contains("\nsyncs:");
  }

  /** The reference without the top-level sections {@code block} gives, then the block. */
  private static String replacing(String reference, String block) {
    Set<String> given = new LinkedHashSet<>();
    Matcher top = Pattern.compile("(?m)^([A-Za-z_][\\w-]*):").matcher(block);
    while (top.find()) {
      given.add(top.group(1));
    }
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : reference.split("\n", -1)) {
      Matcher key = Pattern.compile("^([A-Za-z_][\\w-]*):").matcher(line);
      if (key.find()) {
        skipping = given.contains(key.group(1));
      }
      if (!skipping) {
        kept.append(line).append('\n');
      }
    }
    return kept + block;
  }

  /** The reference with the block's mappings merged in, key by key ({@code ...}: the rest). */
  @SuppressWarnings("unchecked")
  private static String mergedInto(String reference, String block) {
    Map<String, Object> base = plainYaml().load(reference);
    Map<String, Object> part = plainYaml().load(block.replace("...,", "").replace("[...]", "[]"));
    merge(base, part);
    return plainYaml().dump(base);
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> base, Map<String, Object> part) {
    part.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> m && base.get(key) instanceof Map<?, ?> b) {
            merge((Map<String, Object>) b, (Map<String, Object>) m);
          } else if (!(value instanceof List<?> l && l.isEmpty())) {
            base.put(key, value);
          }
        });
  }

  /** YAML as the config reader sees it: every scalar is text ({@code on:} is not {@code true:}). */
  private static Yaml plainYaml() {
    return new Yaml(
        new Constructor(new LoaderOptions()),
        new Representer(new DumperOptions()),
        new DumperOptions(),
        new LoaderOptions(),
        new Resolver() {
          @Override
          protected void addImplicitResolvers() {
            addImplicitResolver(Tag.NULL, EMPTY, null);
          }
        });
  }

  private static Map<String, String> env(String yaml) {
    Map<String, String> env = new HashMap<>();
    Matcher m = ENV.matcher(yaml);
    while (m.find()) {
      String name = m.group(1);
      env.put(
          name,
          name.endsWith("_URL")
              ? "https://hooks.example.com/" + name.toLowerCase(Locale.ROOT)
              : name.endsWith("_SID")
                  ? "AC0123456789abcdef0123456789abcdef"
                  : "value-of-" + name.toLowerCase(Locale.ROOT) + "-0123456789");
    }
    return env;
  }

  /**
   * Keys shown in comments ({@code # after: [orders]}), an alternative to the line above; below a
   * commented named container ({@code # columns:}) the deeper lines are names, not keys.
   */
  private static Set<String> commentedKeys(String block) {
    Set<String> keys = new LinkedHashSet<>();
    int namesDeeperThan = -1;
    for (String line : block.split("\n")) {
      Matcher m = COMMENTED_KEY.matcher(line);
      if (!m.find()) {
        continue;
      }
      int indent = m.start(1);
      if (namesDeeperThan >= 0 && indent > namesDeeperThan) {
        continue;
      }
      namesDeeperThan = NAMED.contains(m.group(1)) ? indent : -1;
      keys.add(m.group(1));
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static void collectKeys(Object node, String parent, Set<String> keys) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
        String key = String.valueOf(e.getKey());
        boolean named = NAMED.contains(parent);
        if (!named && !key.startsWith("x-") && !key.equals("<<")) {
          keys.add(key);
        }
        collectKeys(e.getValue(), named ? "" : key, keys);
      }
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectKeys(item, parent, keys));
    }
  }
}
