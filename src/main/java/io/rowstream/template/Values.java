package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Liquid values mean: truth, kind and text. Values are Java maps, lists, strings, numbers,
 * booleans and null, Jackson trees (read in place: objects and arrays as they are, leaves as their
 * Java value), ranges, loop objects and the {@code empty}/{@code blank} literals. Reading into a
 * value is {@link Properties}, sizes and sequences {@link Sequences}, equality and order {@link
 * Comparisons}.
 */
final class Values {
  private Values() {}

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  /** A Jackson leaf as its Java value; objects and arrays stay trees. */
  static Object unwrap(Object v) {
    if (v instanceof JsonNode n) {
      switch (n.getNodeType()) {
        case STRING:
          return n.textValue();
        case NUMBER:
          if (n.isIntegralNumber()) {
            return n.isBigInteger()
                ? Numbers.normalize(n.bigIntegerValue())
                : (Object) n.longValue();
          }
          return n.isBigDecimal() ? n.decimalValue() : (Object) n.doubleValue();
        case BOOLEAN:
          return n.booleanValue();
        case NULL:
        case MISSING:
          return null;
        case BINARY:
        case POJO:
          return n.asText();
        default:
          return n;
      }
    }
    return v;
  }

  static boolean truthy(Object v) {
    return v != null && v != Boolean.FALSE && !(v instanceof Boolean b && !b);
  }

  /** The text of a value in an output or a string filter. */
  static String toText(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v == null) {
      return "";
    }
    if (v instanceof Number n) {
      return NumberText.toText(n);
    }
    StringBuilder out = new StringBuilder();
    appendText(v, out);
    return out.toString();
  }

  /** The text of a value, bounded by the render's output limit and time (lists can be long). */
  static String toText(Object v, RenderContext ctx) {
    if (v instanceof String s) {
      return s;
    }
    if (v == null) {
      return "";
    }
    if (v instanceof Number n) {
      return NumberText.toText(n);
    }
    StringBuilder out = new StringBuilder();
    appendText(v, out, ctx);
    return out.toString();
  }

  static void appendText(Object v, StringBuilder out) {
    appendText(v, out, null);
  }

  /**
   * Appends the text of {@code v}; with a context, stops at the output bound and the time bound.
   */
  static void appendText(Object v, StringBuilder out, RenderContext ctx) {
    if (v instanceof String s) {
      out.append(s);
    } else if (v == null) {
      return;
    } else if (v instanceof Number n) {
      NumberText.append(n, out);
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof List<?> l) {
      for (Object item : l) {
        appendItem(item, out, ctx);
      }
    } else if (v instanceof JsonNode n) {
      if (n.isArray()) {
        for (JsonNode item : n) {
          appendItem(item, out, ctx);
        }
      } else if (n.isObject()) {
        Json.writeValue(n, out, ctx == null ? Integer.MAX_VALUE : ctx.maxOutputChars());
      } else {
        appendText(unwrap(n), out, ctx);
      }
    } else if (v instanceof Map<?, ?>) {
      Json.writeValue(v, out, ctx == null ? Integer.MAX_VALUE : ctx.maxOutputChars());
    } else if (v instanceof Object[] a) {
      for (Object item : a) {
        appendItem(item, out, ctx);
      }
    } else {
      out.append(v);
    }
  }

  private static void appendItem(Object item, StringBuilder out, RenderContext ctx) {
    appendText(unwrap(item), out, ctx);
    if (ctx != null) {
      ctx.checkSize(out.length());
      ctx.work(1);
    }
  }

  /** For error messages: the value and its kind, shortened. */
  static String describe(Object v) {
    if (v == null) {
      return "nil";
    }
    if (isList(v)) {
      return "a list";
    }
    if (isMap(v)) {
      return "an object";
    }
    String t = toText(v);
    t = t.length() > 40 ? t.substring(0, 40) + "..." : t;
    if (v instanceof String) {
      return "'" + t + "' (a string)";
    }
    return t + (v instanceof Number ? " (a number)" : v instanceof Boolean ? " (a boolean)" : "");
  }

  static boolean isList(Object v) {
    return v instanceof List<?>
        || v instanceof LiquidRange
        || v instanceof JsonNode n && n.isArray();
  }

  static boolean isMap(Object v) {
    return v instanceof Map<?, ?> || v instanceof JsonNode n && n.isObject();
  }

  static boolean hasKey(Object map, String key) {
    if (map instanceof Map<?, ?> m) {
      return m.containsKey(key);
    }
    return map instanceof JsonNode n && n.has(key);
  }

  /** The entries of a map or JSON object, values not unwrapped. */
  @SuppressWarnings("unchecked")
  static List<Map.Entry<String, Object>> entries(Object map) {
    List<Map.Entry<String, Object>> out = new ArrayList<>();
    if (map instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(Map.entry(String.valueOf(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
      }
    } else if (map instanceof JsonNode n) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** Stands for a null map value in entries (Map.entry takes no null). */
  static final Object NULL = com.fasterxml.jackson.databind.node.NullNode.getInstance();
}
