package io.rowstream.config;

import io.rowstream.core.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping with its key path and the problems found while reading it. Every getter records a
 * problem (file, line, key, what would be valid) instead of throwing, so one {@code validate}
 * reports every mistake at once.
 */
final class YamlNode {
  private static final Pattern ENV = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final ConfigReader reader;
  private final String path;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  YamlNode(ConfigReader reader, String path, Node node) {
    this.reader = reader;
    this.path = path;
    this.node = node;
    if (node instanceof MappingNode mapping) {
      List<Node> merged = new ArrayList<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (isMergeKey(tuple.getKeyNode())) {
          merged.add(tuple.getValueNode());
        } else if (tuple.getKeyNode() instanceof ScalarNode key) {
          if (entries.putIfAbsent(key.getValue(), tuple) != null) {
            reader.problem(key, child(key.getValue()), "duplicate key; give each key once");
          }
        } else {
          reader.problem(tuple.getKeyNode(), path, "keys must be plain names");
        }
      }
      for (Node source : merged) {
        merge(source, new HashSet<>());
      }
    }
  }

  private static boolean isMergeKey(Node key) {
    return key instanceof ScalarNode scalar && Tag.MERGE.equals(scalar.getTag());
  }

  /**
   * YAML merge keys ({@code <<: *base}, or {@code <<: [*a, *b]}): the keys of the merged mappings
   * that this mapping does not give itself; of several mappings, the first that gives a key wins.
   */
  private void merge(Node source, Set<Node> seen) {
    if (source instanceof SequenceNode list) {
      for (Node item : list.getValue()) {
        merge(item, seen);
      }
      return;
    }
    if (!(source instanceof MappingNode mapping)) {
      reader.problem(
          source,
          path.isEmpty() ? "<<" : path + ".<<",
          "a merge key (<<) takes a mapping, such as " + "*base, or a list of them");
      return;
    }
    if (!seen.add(mapping)) {
      return; // a mapping that merges itself
    }
    List<Node> nested = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (isMergeKey(tuple.getKeyNode())) {
        nested.add(tuple.getValueNode());
      } else if (tuple.getKeyNode() instanceof ScalarNode key) {
        entries.putIfAbsent(key.getValue(), tuple);
      }
    }
    for (Node n : nested) {
      merge(n, seen);
    }
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  String path() {
    return path;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Records a problem for every key not in {@code allowed}, suggesting the nearest one. */
  void allowOnly(String... allowed) {
    List<String> valid = List.of(allowed);
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      // top-level x- keys hold anchors for merge keys (x-defaults: &defaults), as in docker compose
      if (!valid.contains(entry.getKey()) && !(path.isEmpty() && entry.getKey().startsWith("x-"))) {
        String nearest = Suggestions.nearest(entry.getKey(), valid);
        reader.problem(
            entry.getValue().getKeyNode(),
            child(entry.getKey()),
            "unknown key"
                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                + " Valid keys here: "
                + String.join(", ", valid));
      }
    }
  }

  Optional<YamlNode> mapping(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      return Optional.empty();
    }
    if (!(tuple.getValueNode() instanceof MappingNode)) {
      reader.problem(tuple.getValueNode(), child(key), "must be a mapping of names to settings");
      return Optional.empty();
    }
    return Optional.of(new YamlNode(reader, child(key), tuple.getValueNode()));
  }

  /** Entries of a mapping whose values are themselves mappings (sources, syncs, ...). */
  Map<String, YamlNode> namedMappings(String key) {
    Map<String, YamlNode> named = new LinkedHashMap<>();
    mapping(key)
        .ifPresent(
            parent -> {
              for (Map.Entry<String, NodeTuple> entry : parent.entries.entrySet()) {
                Node value = entry.getValue().getValueNode();
                String childPath = parent.child(entry.getKey());
                if (value instanceof MappingNode) {
                  named.put(entry.getKey(), new YamlNode(reader, childPath, value));
                } else {
                  reader.problem(value, childPath, "must be a mapping of settings");
                }
              }
            });
    return named;
  }

  Optional<String> string(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      return Optional.empty();
    }
    if (!(tuple.getValueNode() instanceof ScalarNode scalar)) {
      reader.problem(
          tuple.getValueNode(), child(key), "must be a single value, not a list or mapping");
      return Optional.empty();
    }
    return Optional.ofNullable(expand(scalar, child(key)));
  }

  String required(String key, String whatIsValid) {
    if (!entries.containsKey(key)) {
      reader.problem(node, child(key), "is required: " + whatIsValid);
      return null;
    }
    Optional<String> value = string(key);
    if (value.isPresent() && value.get().isBlank()) {
      reader.problem(
          entries.get(key).getValueNode(), child(key), "must not be empty: " + whatIsValid);
      return null;
    }
    return value.orElse(null);
  }

  Optional<Secret> secret(String key) {
    return string(key).map(Secret::new);
  }

  /** A list of scalars; a single scalar counts as a one-element list. */
  Optional<List<String>> strings(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    List<String> out = new ArrayList<>();
    if (value instanceof ScalarNode scalar) {
      out.add(expand(scalar, child(key)));
    } else if (value instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof ScalarNode scalar) {
          out.add(expand(scalar, child(key)));
        } else {
          reader.problem(item, child(key), "list items must be single values");
        }
      }
    } else {
      reader.problem(value, child(key), "must be a value or a list of values");
      return Optional.empty();
    }
    return Optional.of(out);
  }

  /** The node of a key's value, for callers that accept more than one shape. */
  Optional<Node> raw(String key) {
    return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
  }

  void problemAt(String key, String message) {
    NodeTuple tuple = entries.get(key);
    reader.problem(tuple == null ? node : tuple.getValueNode(), child(key), message);
  }

  /**
   * A problem inside a multi-line value, at {@code lineInValue} (1-based) of it: the file line is
   * exact for block scalars ({@code |}, {@code >}) and for one-line values.
   */
  void templateProblem(String key, int lineInValue, String message) {
    NodeTuple tuple = entries.get(key);
    Node value = tuple.getValueNode();
    int first = value.getStartMark().getLine() + 1;
    boolean block =
        value instanceof ScalarNode scalar
            && (scalar.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || scalar.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED);
    reader.problem(first + (block ? lineInValue : lineInValue - 1), child(key), message);
  }

  void problemHere(String message) {
    reader.problem(node, path, message);
  }

  private String expand(ScalarNode scalar, String keyPath) {
    String text = scalar.getValue();
    if ("null".equals(scalar.getTag().getValue()) || scalar.getTag().getValue().endsWith(":null")) {
      return null;
    }
    if (text.indexOf('$') < 0) {
      return text;
    }
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "${";
      } else {
        String value = reader.env().get(m.group(1));
        if (value == null) {
          reader.problem(
              scalar,
              keyPath,
              "environment variable "
                  + m.group(1)
                  + " is not set; set it, or write $${"
                  + m.group(1)
                  + "} for a literal ${...}");
          value = "";
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
