package io.rowstream.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partition key or explicit hash key built from text and {@code {{ row.COLUMN }}}
 * placeholders, rendered as plain text (no JSON escaping).
 */
final class KeyTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*row\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private final List<String> literals = new ArrayList<>();
  private final List<String> columns = new ArrayList<>();

  KeyTemplate(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      literals.add(text.substring(at, m.start()));
      columns.add(m.group(1));
      at = m.end();
    }
    literals.add(text.substring(at));
  }

  boolean needsRow() {
    return !columns.isEmpty();
  }

  /** Null values render as empty text, as in Liquid. */
  String render(JsonNode row) {
    StringBuilder out = new StringBuilder(literals.get(0));
    for (int i = 0; i < columns.size(); i++) {
      JsonNode value = row.get(columns.get(i));
      if (value == null) {
        throw new MissingColumnException(columns.get(i));
      }
      if (!value.isNull()) {
        out.append(value.isValueNode() ? value.asText() : value.toString());
      }
      out.append(literals.get(i + 1));
    }
    return out.toString();
  }

  static final class MissingColumnException extends RuntimeException {
    MissingColumnException(String column) {
      super(column, null, false, false);
    }
  }
}
