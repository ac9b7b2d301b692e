package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Liquid values mean: truth, equality, order, text, properties, and how a value is seen as a
 * list. Values are Java maps, lists, strings, numbers, booleans and null, Jackson trees (read in
 * place: objects and arrays as they are, leaves as their Java value), ranges, loop objects and the
 * {@code empty}/{@code blank} literals.
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
      return Numbers.toText(n);
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
      return Numbers.toText(n);
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
      Numbers.append(n, out);
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

  // ---- properties

  /**
   * {@code obj.key}: a key, or one of the commands size, first and last; null when there is none.
   */
  static Object property(Object obj, Object key) {
    return property(obj, key, true);
  }

  /**
   * {@code obj.key} ({@code commands}: size, first and last apply when there is no such key) or
   * {@code obj[key]} (no commands, as in Ruby Liquid: {@code list["first"]} is nil).
   */
  static Object property(Object obj, Object key, boolean commands) {
    if (obj instanceof JsonNode n) {
      if (n.isObject()) {
        if (key instanceof String k) {
          JsonNode child = n.get(k);
          if (child != null) {
            return unwrap(child);
          }
          if (commands && k.equals("size")) {
            return (long) n.size();
          }
          if (commands && k.equals("first")) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            if (it.hasNext()) {
              Map.Entry<String, JsonNode> e = it.next();
              return Arrays.asList(e.getKey(), unwrap(e.getValue()));
            }
          }
        }
        return null;
      }
      if (n.isArray()) {
        if (key instanceof Number i) {
          return unwrap(index(n.size(), i) < 0 ? null : n.get(index(n.size(), i)));
        }
        if (commands && "size".equals(key)) {
          return (long) n.size();
        }
        if (commands && "first".equals(key)) {
          return n.size() == 0 ? null : unwrap(n.get(0));
        }
        if (commands && "last".equals(key)) {
          return n.size() == 0 ? null : unwrap(n.get(n.size() - 1));
        }
      }
      return null;
    }
    if (obj instanceof Map<?, ?> m) {
      if (key instanceof String k) {
        Object v = m.get(k);
        if (v != null || m.containsKey(k)) {
          return unwrap(v);
        }
        if (commands && k.equals("size")) {
          return (long) m.size();
        }
        if (commands && k.equals("first")) {
          for (Map.Entry<?, ?> e : m.entrySet()) {
            return Arrays.asList(e.getKey(), unwrap(e.getValue()));
          }
        }
      }
      return null;
    }
    if (obj instanceof List<?> l) {
      if (key instanceof Number i) {
        int at = index(l.size(), i);
        return at < 0 ? null : unwrap(l.get(at));
      }
      if (commands && "size".equals(key)) {
        return (long) l.size();
      }
      if (commands && "first".equals(key)) {
        return l.isEmpty() ? null : unwrap(l.get(0));
      }
      if (commands && "last".equals(key)) {
        return l.isEmpty() ? null : unwrap(l.get(l.size() - 1));
      }
      return null;
    }
    if (commands && obj instanceof Number n && "size".equals(key)) {
      return size(n);
    }
    if (obj instanceof LoopState loop) {
      return key instanceof String k ? loop.get(k) : null;
    }
    if (obj instanceof String s) {
      if (commands && "size".equals(key)) {
        return (long) s.codePointCount(0, s.length());
      }
      return null;
    }
    if (obj instanceof LiquidRange r) {
      if (key instanceof Number i) {
        long at = i.longValue() < 0 ? r.size() + i.longValue() : i.longValue();
        return at < 0 || at >= r.size() ? null : (Object) (r.from() + at);
      }
      if (commands && "size".equals(key)) {
        return r.size();
      }
      if (commands && "first".equals(key)) {
        return r.size() == 0 ? null : (Object) r.from();
      }
      if (commands && "last".equals(key)) {
        return r.size() == 0 ? null : (Object) r.to();
      }
    }
    return null;
  }

  private static int index(int size, Number i) {
    if (!(i instanceof Long
        || i instanceof Integer
        || i instanceof Double
        || i instanceof BigDecimal)) {
      return -1;
    }
    long at = i.longValue();
    if (at < 0) {
      at += size;
    }
    return at < 0 || at >= size ? -1 : (int) at;
  }

  // ---- sizes and sequences

  static long size(Object v) {
    if (v instanceof String s) {
      return s.codePointCount(0, s.length());
    }
    if (v instanceof Number n && Numbers.isInteger(n)) {
      // Ruby's Integer#size: the bytes of its machine form, 8 for any 64-bit integer
      return n instanceof java.math.BigInteger b ? Math.max(8, (b.abs().bitLength() + 7) / 8) : 8;
    }
    if (v instanceof Collection<?> c) {
      return c.size();
    }
    if (v instanceof Map<?, ?> m) {
      return m.size();
    }
    if (v instanceof JsonNode n) {
      return n.isContainerNode() ? n.size() : 0;
    }
    if (v instanceof LiquidRange r) {
      return r.size();
    }
    return 0;
  }

  static boolean isEmpty(Object v) {
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof Collection<?> || v instanceof Map<?, ?> || v instanceof LiquidRange) {
      return size(v) == 0;
    }
    if (v instanceof JsonNode n) {
      return n.isContainerNode() && n.size() == 0;
    }
    return false;
  }

  /** What a {@code for} loop walks: lists, ranges, objects as [key, value] pairs, a string once. */
  static List<?> loopItems(Object v, RenderContext ctx) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof JsonNode n) {
      if (n.isArray()) {
        List<Object> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
          out.add(item);
        }
        return out;
      }
      if (n.isObject()) {
        List<Object> out = new ArrayList<>(n.size());
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          out.add(Arrays.asList(e.getKey(), unwrap(e.getValue())));
        }
        return out;
      }
      return loopItems(unwrap(n), ctx);
    }
    if (v instanceof Map<?, ?> m) {
      List<Object> out = new ArrayList<>(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(Arrays.asList(e.getKey(), unwrap(e.getValue())));
      }
      return out;
    }
    if (v instanceof String s) {
      return s.isEmpty() ? List.of() : List.of(s);
    }
    if (v instanceof LiquidRange r) {
      return rangeList(r, ctx);
    }
    return List.of();
  }

  static List<Object> rangeList(LiquidRange r, RenderContext ctx) {
    long size = r.size();
    if (size > ctx.maxIterations() || size > Integer.MAX_VALUE - 8) {
      throw new LiquidError(
          "the range "
              + r
              + " has more than "
              + ctx.maxIterations()
              + " items (the loop iteration limit)");
    }
    List<Object> out = new ArrayList<>((int) size);
    for (long i = r.from(); i <= r.to(); i++) {
      out.add(i);
    }
    return out;
  }

  /**
   * How filters see their input (Ruby Liquid's InputIterator): a list flattened, an object as a
   * one-item list, nil as empty, anything else as a one-item list.
   */
  static List<Object> inputList(Object v, RenderContext ctx) {
    List<Object> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (isList(v)) {
      flattenInto(v, out, ctx, 0);
    } else {
      out.add(v);
    }
    return out;
  }

  private static void flattenInto(Object v, List<Object> out, RenderContext ctx, int depth) {
    if (depth > RenderContext.MAX_DEPTH) {
      throw new LiquidError("lists are nested more than " + RenderContext.MAX_DEPTH + " deep");
    }
    if (v instanceof LiquidRange r) {
      out.addAll(rangeList(r, ctx));
      return;
    }
    Iterable<?> items = v instanceof JsonNode n ? n : (List<?>) v;
    for (Object item : items) {
      Object u = unwrap(item);
      if (isList(u)) {
        flattenInto(u, out, ctx, depth + 1);
      } else {
        out.add(u);
      }
      ctx.checkSize(out.size());
      ctx.work(1);
    }
  }

  /** A list as a Java list of unwrapped items, not flattened; null when it is not a list. */
  static List<Object> asList(Object v, RenderContext ctx) {
    if (v instanceof LiquidRange r) {
      return rangeList(r, ctx);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object item : l) {
        out.add(unwrap(item));
      }
      return out;
    }
    if (v instanceof JsonNode n && n.isArray()) {
      List<Object> out = new ArrayList<>(n.size());
      for (JsonNode item : n) {
        out.add(unwrap(item));
      }
      return out;
    }
    return null;
  }

  // ---- comparisons

  static boolean equal(Object a, Object b) {
    if (a instanceof Special s) {
      return matchesSpecial(s, b);
    }
    if (b instanceof Special s) {
      return matchesSpecial(s, a);
    }
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof String x) {
      return b instanceof String y && x.equals(y);
    }
    if (a instanceof Number x) {
      return b instanceof Number y && Numbers.compare(x, y) == 0;
    }
    if (a instanceof Boolean) {
      return a.equals(b);
    }
    if (a instanceof LiquidRange || b instanceof LiquidRange) {
      return a.equals(b);
    }
    if (isList(a) && isList(b)) {
      List<?> x = a instanceof JsonNode ? jsonItems((JsonNode) a) : (List<?>) a;
      List<?> y = b instanceof JsonNode ? jsonItems((JsonNode) b) : (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(unwrap(x.get(i)), unwrap(y.get(i)))) {
          return false;
        }
      }
      return true;
    }
    if (isMap(a) && isMap(b)) {
      if (size(a) != size(b)) {
        return false;
      }
      for (Map.Entry<String, Object> e : entries(a)) {
        Object other = property(b, e.getKey());
        if (!equal(unwrap(e.getValue()), other) || other == null && !hasKey(b, e.getKey())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static List<JsonNode> jsonItems(JsonNode n) {
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
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

  private static boolean matchesSpecial(Special s, Object v) {
    if (v instanceof Special) {
      return false; // Ruby: empty == empty and blank == blank are false (the literals have no
      // empty?)
    }
    if (s == Special.EMPTY) {
      return (v instanceof String || isList(v) || isMap(v)) && isEmpty(v);
    }
    if (v == null || Boolean.FALSE.equals(v)) {
      return true;
    }
    if (v instanceof String str) {
      return str.isBlank();
    }
    return (isList(v) || isMap(v)) && isEmpty(v);
  }

  /**
   * Orders two values for {@code <}, {@code >}, {@code <=}, {@code >=}; null when they cannot be
   * ordered (nil, booleans, lists): the comparison is then false.
   */
  static Integer order(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Numbers.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof String && b instanceof Number || a instanceof Number && b instanceof String) {
      throw new LiquidError("cannot compare " + describe(a) + " with " + describe(b));
    }
    return null;
  }

  static boolean contains(Object left, Object right, RenderContext ctx) {
    if (right == null || Boolean.FALSE.equals(right)) {
      return false;
    }
    if (left instanceof String s) {
      return Search.contains(s, toText(right, ctx), ctx);
    }
    if (isList(left)) {
      if (left instanceof LiquidRange r) {
        return right instanceof Number n
            && Numbers.isInteger(n)
            && n.longValue() >= r.from()
            && n.longValue() <= r.to();
      }
      Iterable<?> items = left instanceof JsonNode n ? n : (List<?>) left;
      for (Object item : items) {
        ctx.work(1);
        if (equal(unwrap(item), right)) {
          return true;
        }
      }
      return false;
    }
    if (isMap(left)) {
      return right instanceof String k && hasKey(left, k);
    }
    return false;
  }

  /**
   * Ruby's {@code item[key]} as the filters where, reject, find, has, map and sum use it: objects
   * by key, strings by substring, lists by index; an error where Ruby raises a TypeError.
   */
  static Object index(Object item, Object key, String filter) {
    if (isMap(item)) {
      return key instanceof String ? property(item, key) : null;
    }
    if (item instanceof String s) {
      if (key instanceof String k) {
        return s.contains(k) ? k : null;
      }
      if (key instanceof Number n && Numbers.isInteger(n)) {
        long at = n.longValue() < 0 ? s.length() + n.longValue() : n.longValue();
        return at < 0 || at >= s.length() ? null : String.valueOf(s.charAt((int) at));
      }
      throw typeError(item, key, filter);
    }
    if (item instanceof Number n && Numbers.isInteger(n)) {
      if (key instanceof Number k && Numbers.isInteger(k)) {
        long bit = k.longValue();
        return bit < 0 || bit > 63
            ? (n.longValue() < 0 && bit > 63 ? 1L : 0L)
            : (n.longValue() >> bit) & 1;
      }
      throw typeError(item, key, filter);
    }
    if (isList(item)) {
      if (key instanceof Number) {
        return property(item, key);
      }
      throw typeError(item, key, filter);
    }
    if (item == null || item instanceof Boolean || item instanceof Number) {
      return NO_INDEX; // a float has no [] in Ruby: the filter gives nil
    }
    throw typeError(item, key, filter);
  }

  /** The item has no [] at all (nil, booleans): Ruby Liquid ends the filter with nil. */
  static final Object NO_INDEX = new Object();

  private static LiquidError typeError(Object item, Object key, String filter) {
    return new LiquidError(
        filter
            + ": cannot read "
            + describe(key)
            + " of "
            + describe(item)
            + "; expected a list of objects");
  }
}
