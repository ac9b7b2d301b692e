package io.rowstream.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one sync into the text of rowstream.yaml by splicing lines, so everything else (other
 * sections, other syncs, comments, blank lines, the sync's own keys the editor does not manage such
 * as {@code schedule}) stays as it was. Within the sync's block, each key the editor manages is
 * kept when its value did not change, replaced where it stands when it did, removed when it has no
 * value, or added at the block's end; {@code message:} is spliced the same way one level down, so
 * comments inside it stay too. A new sync is added at the end of {@code syncs:}.
 */
final class SyncYaml {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY =
      Pattern.compile("^( *)([A-Za-z0-9_.-]+|\"[^\"]*\"|'[^']*'):(\\s.*|)$");

  private SyncYaml() {}

  /** {@code yaml} with sync {@code name} holding {@code keys} (a null value removes the key). */
  static String splice(String yaml, String name, Map<String, Object> keys) {
    List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
    int syncs = topLevel(lines, "syncs");
    if (syncs < 0) {
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      lines.add("syncs:");
      syncs = lines.size() - 1;
      lines.add("");
    }
    int end = blockEnd(lines, syncs, 0);
    int childIndent = childIndent(lines, syncs, end).orElse(2);
    int start = -1;
    for (int i = syncs + 1; i < end; i++) {
      Matcher m = KEY.matcher(lines.get(i));
      if (m.matches() && m.group(1).length() == childIndent && unquote(m.group(2)).equals(name)) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      int at = lastContent(lines, syncs, end) + 1;
      List<String> block = new ArrayList<>();
      block.add(" ".repeat(childIndent) + name + ":");
      keys.forEach(
          (k, v) -> {
            if (v != null) {
              block.addAll(entry(k, v, childIndent + 2));
            }
          });
      lines.addAll(at, block);
      return String.join("\n", lines);
    }
    spliceMapping(lines, start, childIndent, keys, false);
    return String.join("\n", lines);
  }

  /**
   * Writes {@code keys} into the mapping whose key line is {@code start} (its own key at {@code
   * indent}): a key whose value is unchanged keeps its lines (and their comments); a mapping that
   * is already a block is spliced key by key, so comments inside it stay; a changed scalar or list
   * is replaced where it stands; a null value removes the key; a new key goes at the block's end.
   * With {@code exclusive}, keys the map does not name are removed (a sub-tree the editor owns).
   */
  @SuppressWarnings("unchecked")
  private static void spliceMapping(
      List<String> lines, int start, int indent, Map<String, Object> keys, boolean exclusive) {
    int end = blockEnd(lines, start, indent);
    int keyIndent = childIndent(lines, start, end).orElse(indent + 2);
    Map<String, int[]> entries = new LinkedHashMap<>();
    for (int i = start + 1; i < end; i++) {
      Matcher m = KEY.matcher(lines.get(i));
      if (m.matches() && m.group(1).length() == keyIndent) {
        entries.put(
            unquote(m.group(2)),
            new int[] {i, lastContent(lines, i, blockEnd(lines, i, keyIndent)) + 1});
      }
    }
    // from the bottom up, so earlier positions stay valid
    List<String> order = new ArrayList<>(entries.keySet());
    for (int j = order.size() - 1; j >= 0; j--) {
      String key = order.get(j);
      if (!keys.containsKey(key) && !exclusive) {
        continue;
      }
      int[] span = entries.get(key);
      Object value = keys.get(key);
      if (value instanceof Map<?, ?> map && isBlockMapping(lines, span)) {
        spliceMapping(lines, span[0], keyIndent, (Map<String, Object>) map, true);
        continue;
      }
      List<String> replacement = value == null ? List.of() : entry(key, value, keyIndent);
      if (sameContent(lines.subList(span[0], span[1]), replacement)) {
        continue;
      }
      lines.subList(span[0], span[1]).clear();
      lines.addAll(span[0], replacement);
    }
    end = blockEnd(lines, start, indent);
    int at = lastContent(lines, start, end) + 1;
    List<String> added = new ArrayList<>();
    keys.forEach(
        (k, v) -> {
          if (v != null && !entries.containsKey(k)) {
            added.addAll(entry(k, v, keyIndent));
          }
        });
    lines.addAll(at, added);
  }

  /** Whether the entry at {@code span} is {@code key:} (maybe with a comment) and a block below. */
  private static boolean isBlockMapping(List<String> lines, int[] span) {
    Matcher m = KEY.matcher(lines.get(span[0]));
    if (!m.matches() || !(m.group(3).isBlank() || m.group(3).strip().startsWith("#"))) {
      return false;
    }
    for (int i = span[0] + 1; i < span[1]; i++) {
      String l = lines.get(i);
      if (!l.isBlank() && !l.stripLeading().startsWith("#")) {
        return KEY.matcher(l).matches();
      }
    }
    return false;
  }

  /**
   * Whether the existing lines say what {@code replacement} says: the same lines once comment-only
   * lines, blank lines and inline comments after a plain scalar are set aside.
   */
  private static boolean sameContent(List<String> existing, List<String> replacement) {
    List<String> content = new ArrayList<>();
    for (String l : existing) {
      if (!l.isBlank() && !l.stripLeading().startsWith("#")) {
        content.add(l);
      }
    }
    List<String> wanted = replacement.stream().filter(l -> !l.isBlank()).toList();
    if (content.size() != wanted.size()) {
      return false;
    }
    for (int i = 0; i < content.size(); i++) {
      String have = content.get(i).stripTrailing();
      String want = wanted.get(i);
      if (!have.equals(want) && !withoutComment(have).equals(want)) {
        return false;
      }
    }
    return true;
  }

  /** {@code key: value # comment}, the value plain or double-quoted: group 1 is the line. */
  private static final Pattern COMMENTED =
      Pattern.compile("^( *[^#\\s][^:]*: (?:\"(?:[^\"\\\\]|\\\\.)*\"|[^\"'#\\s][^#]*?))\\s+#.*$");

  /** A {@code key: value # comment} line without its comment. */
  private static String withoutComment(String line) {
    Matcher m = COMMENTED.matcher(line);
    return m.matches() ? m.group(1) : line;
  }

  private static String unquote(String key) {
    return key.startsWith("\"") || key.startsWith("'") ? key.substring(1, key.length() - 1) : key;
  }

  private static int topLevel(List<String> lines, String key) {
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = KEY.matcher(lines.get(i));
      if (m.matches() && m.group(1).isEmpty() && unquote(m.group(2)).equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The line after the block that starts at {@code start}: the next content line indented at most
   * {@code indent}.
   */
  private static int blockEnd(List<String> lines, int start, int indent) {
    for (int i = start + 1; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.isBlank() && !l.stripLeading().startsWith("#") && indentOf(l) <= indent) {
        return i;
      }
    }
    return lines.size();
  }

  /**
   * The last line of the block that is not blank (blank lines and comments after it stay outside).
   */
  private static int lastContent(List<String> lines, int start, int end) {
    int last = start;
    for (int i = start + 1; i < end; i++) {
      String l = lines.get(i);
      if (!l.isBlank() && !l.stripLeading().startsWith("#")) {
        last = i;
      }
    }
    return last;
  }

  private static java.util.Optional<Integer> childIndent(List<String> lines, int start, int end) {
    for (int i = start + 1; i < end; i++) {
      String l = lines.get(i);
      if (!l.isBlank() && !l.stripLeading().startsWith("#")) {
        return java.util.Optional.of(indentOf(l));
      }
    }
    return java.util.Optional.empty();
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** One key with its value as YAML lines at {@code indent}. */
  @SuppressWarnings("unchecked")
  static List<String> entry(String key, Object value, int indent) {
    String pad = " ".repeat(indent);
    List<String> out = new ArrayList<>();
    if (value instanceof Map<?, ?> map) {
      out.add(pad + key + ":");
      ((Map<String, Object>) map).forEach((k, v) -> out.addAll(entry(k, v, indent + 2)));
    } else if (value instanceof List<?> list) {
      out.add(
          pad
              + key
              + ": ["
              + String.join(", ", list.stream().map(v -> scalar(v.toString())).toList())
              + "]");
    } else {
      String text = value.toString();
      if (text.contains("\n")
          && !text.startsWith(" ")
          && !text.contains("\t")
          && !text.contains("\r")) {
        out.add(pad + key + ": " + (text.endsWith("\n") ? "|" : "|-"));
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
          out.add(line.isEmpty() ? "" : pad + "  " + line);
        }
      } else {
        out.add(pad + key + ": " + scalar(text));
      }
    }
    return out;
  }

  /**
   * A plain scalar when it is a simple word, else a double-quoted one (JSON's escapes are YAML's).
   */
  static String scalar(String text) {
    if (text.matches("[A-Za-z_][A-Za-z0-9_.-]*")
        && !text.matches("(?i)true|false|yes|no|on|off|null|y|n")) {
      return text;
    }
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
