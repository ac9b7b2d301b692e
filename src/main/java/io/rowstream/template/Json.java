package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON output: text escaped for the inside of a JSON string, and values written as JSON. */
final class Json {
  private Json() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Appends {@code s} escaped for the inside of a JSON string: quote, backslash and control
   * characters escaped; surrogate pairs pass through (valid UTF-8 later), a lone surrogate is
   * escaped as {@code \\uXXXX} so the text stays encodable.
   */
  static void escapeInto(CharSequence s, StringBuilder out) {
    int n = s.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && (c < 0xD800 || c > 0xDFFF)) {
        continue;
      }
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      out.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          out.append("\\u")
              .append(HEX[(c >> 12) & 15])
              .append(HEX[(c >> 8) & 15])
              .append(HEX[(c >> 4) & 15])
              .append(HEX[c & 15]);
      }
    }
    out.append(s, start, n);
  }

  static void writeString(CharSequence s, StringBuilder out) {
    out.append('"');
    escapeInto(s, out);
    out.append('"');
  }

  /** Writes {@code v} as a JSON value. */
  static void writeValue(Object v, StringBuilder out) {
    writeValue(v, out, Integer.MAX_VALUE);
  }

  /**
   * Writes {@code v} as a JSON value, stopping with an error once {@code out} passes {@code
   * maxChars}.
   */
  static void writeValue(Object v, StringBuilder out, int maxChars) {
    new Writer(out, maxChars).value(v, 0);
  }

  /** One JSON write: the builder, its bound, and how deep it is. */
  private record Writer(StringBuilder out, int maxChars) {
    void check() {
      if (out.length() > maxChars) {
        throw new LiquidError(
            "json: the value is longer than " + maxChars + " characters (the output limit)");
      }
    }

    void value(Object v, int depth) {
      if (depth > RenderContext.MAX_DEPTH) {
        throw new LiquidError(
            "json: the value is nested more than " + RenderContext.MAX_DEPTH + " deep");
      }
      if (v == null) {
        out.append("null");
      } else if (v instanceof String s) {
        writeString(s, out);
      } else if (v instanceof Boolean b) {
        out.append(b.booleanValue());
      } else if (v instanceof Number n) {
        writeNumber(n, out);
      } else if (v instanceof JsonNode n) {
        node(n, depth);
      } else if (v instanceof Map<?, ?> m) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(String.valueOf(e.getKey()), out);
          out.append(':');
          value(e.getValue(), depth + 1);
          check();
        }
        out.append('}');
      } else if (v instanceof List<?> l) {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(l.get(i), depth + 1);
          check();
        }
        out.append(']');
      } else if (v instanceof LiquidRange r) {
        out.append('[');
        for (long i = r.from(); i <= r.to(); i++) {
          if (i > r.from()) {
            out.append(',');
          }
          out.append(i);
          check();
        }
        out.append(']');
      } else if (v instanceof Special) {
        out.append("\"\"");
      } else if (v instanceof LoopState) {
        out.append("null");
      } else {
        writeString(v.toString(), out);
      }
    }

    private void node(JsonNode n, int depth) {
      if (depth > RenderContext.MAX_DEPTH) {
        throw new LiquidError(
            "json: the value is nested more than " + RenderContext.MAX_DEPTH + " deep");
      }
      if (n.isObject()) {
        out.append('{');
        boolean first = true;
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(e.getKey(), out);
          out.append(':');
          node(e.getValue(), depth + 1);
          check();
        }
        out.append('}');
      } else if (n.isArray()) {
        out.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          node(n.get(i), depth + 1);
          check();
        }
        out.append(']');
      } else {
        value(Values.unwrap(n), depth + 1);
      }
    }
  }

  /**
   * A number as JSON: exact decimals as written, floats as Ruby prints them ({@code -0.0} keeps its
   * sign); NaN and the infinities, which JSON has no number for, as the strings {@code "NaN"},
   * {@code "Infinity"} and {@code "-Infinity"} (as PostgreSQL's to_json writes them).
   */
  static void writeNumber(Number n, StringBuilder out) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        out.append("\"NaN\"");
        return;
      }
      if (Double.isInfinite(d)) {
        out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
      }
    }
    if (n instanceof BigDecimal d) {
      out.append(NumberText.plain(d));
      return;
    }
    NumberText.append(n, out);
  }
}
