package io.rowstream.config;

import io.rowstream.template.Template;
import io.rowstream.template.TemplateOptions;
import io.rowstream.template.TemplateSyntaxException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads what a sync's records are made of: {@code message:} (template, column or columns) and the
 * {@code partition_key} and {@code explicit_hash_key} templates. The Liquid is parsed here, so a
 * template that does not parse is a problem at its line in this file.
 */
final class MessageSection {
  private static final Pattern HASH_KEY = Pattern.compile("0|[1-9][0-9]{0,38}");
  private static final BigInteger HASH_KEY_LIMIT = BigInteger.TWO.pow(128);

  private final ConfigReader reader;

  MessageSection(ConfigReader reader) {
    this.reader = reader;
  }

  /** A sync's partition key and explicit hash key, as given (templates or constants). */
  record KeyTemplates(Optional<String> partitionKey, Optional<String> explicitHashKey) {}

  /** Both keys of a sync, each template checked and each constant checked against its limits. */
  KeyTemplates keys(YamlNode node) {
    Optional<String> partitionKey = node.string("partition_key");
    partitionKey.ifPresent(text -> checkKeyTemplate(node, "partition_key", text));
    Optional<String> explicitHashKey = node.string("explicit_hash_key");
    explicitHashKey.ifPresent(text -> checkKeyTemplate(node, "explicit_hash_key", text));
    partitionKey
        .filter(MessageSection::isConstant)
        .filter(text -> !text.isEmpty() && text.length() > 256)
        .ifPresent(
            text ->
                node.problemAt(
                    "partition_key",
                    "is "
                        + text.length()
                        + " characters long; a partition "
                        + "key is 1 to 256 characters"));
    explicitHashKey
        .filter(MessageSection::isConstant)
        .filter(text -> !text.isEmpty() && !isHashKey(text))
        .ifPresent(
            text ->
                node.problemAt(
                    "explicit_hash_key",
                    "'"
                        + text
                        + "' is not an explicit hash key: a decimal "
                        + "from 0 to 2^128-1 (340282366920938463463374607431768211455) without leading zeros, or a template "
                        + "such as \"{{ row.hash_key }}\""));
    return new KeyTemplates(partitionKey, explicitHashKey);
  }

  MessageSpec message(YamlNode sync) {
    Optional<YamlNode> found = sync.mapping("message");
    if (found.isEmpty()) {
      return sync.has("message") ? null : MessageSpec.allColumns();
    }
    YamlNode node = found.get();
    node.allowOnly("template", "column", "columns");
    int given =
        (node.has("template") ? 1 : 0)
            + (node.has("column") ? 1 : 0)
            + (node.has("columns") ? 1 : 0);
    if (given != 1) {
      node.problemHere(
          "give exactly one of template (Liquid), column (a column holding JSON) or columns "
              + "(a list of columns, or a mapping of message key to column)");
      return null;
    }
    if (node.has("template")) {
      Optional<String> text = node.string("template");
      if (text.isEmpty() || text.get().isBlank()) {
        node.problemAt(
            "template",
            "must not be empty: a Liquid template that renders JSON, such as "
                + "{\"name\": \"{{ row.full_name }}\"}");
        return null;
      }
      return checkTemplate(node, "template", text.get(), TemplateOptions.json())
          ? new MessageSpec(MessageSpec.Mode.TEMPLATE, text.get(), null, Map.of())
          : null;
    }
    if (node.has("column")) {
      String column = node.required("column", "the name of a column that holds a JSON document");
      return column == null ? null : MessageSpec.column(column);
    }
    Node raw = node.raw("columns").orElseThrow();
    Map<String, String> columns = new LinkedHashMap<>();
    if (raw instanceof SequenceNode) {
      node.strings("columns")
          .orElse(List.of())
          .forEach(
              c -> {
                if (c == null || c.isBlank()) {
                  node.problemAt("columns", "a column name must not be empty");
                } else if (columns.put(c, c) != null) {
                  node.problemAt("columns", "column '" + c + "' is listed twice");
                }
              });
    } else if (raw instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && tuple.getValueNode() instanceof ScalarNode value
            && !value.getValue().isBlank()) {
          columns.put(key.getValue(), value.getValue());
        } else {
          reader.problem(
              tuple.getValueNode(),
              node.path() + ".columns",
              "each entry maps a message key to a column name, such as email: customer_email");
        }
      }
    } else {
      node.problemAt("columns", "must be a list of columns, or a mapping of message key to column");
      return null;
    }
    if (columns.isEmpty()) {
      node.problemAt("columns", "must name at least one column");
    }
    return MessageSpec.columns(columns);
  }

  /** Text without Liquid markup renders as itself for every row. */
  private static boolean isConstant(String text) {
    return !text.contains("{{") && !text.contains("{%");
  }

  private static boolean isHashKey(String text) {
    return HASH_KEY.matcher(text).matches() && new BigInteger(text).compareTo(HASH_KEY_LIMIT) < 0;
  }

  private void checkKeyTemplate(YamlNode node, String key, String text) {
    if (text.isEmpty()) {
      node.problemAt(key, "must not be empty; leave it out to use the primary key value");
    } else {
      checkTemplate(node, key, text, TemplateOptions.text());
    }
  }

  /** Whether the Liquid parses; if not, a problem at the template's line in this file. */
  private boolean checkTemplate(YamlNode node, String key, String text, TemplateOptions options) {
    try {
      Template.compile(text, options);
      return true;
    } catch (TemplateSyntaxException e) {
      node.templateProblem(
          key,
          e.line(),
          "the Liquid does not parse at line "
              + e.line()
              + ", column "
              + e.column()
              + " of the template: "
              + e.reason());
      return false;
    }
  }
}
