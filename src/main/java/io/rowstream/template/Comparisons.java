package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Liquid's {@code ==}, {@code <}/{@code >} and {@code contains}, with Ruby's rules: numbers by
 * value whatever their type, lists and objects item by item, and the {@code empty}/{@code blank}
 * literals.
 */
final class Comparisons {
  private Comparisons() {}

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
    if (Values.isList(a) && Values.isList(b)) {
      List<?> x = a instanceof JsonNode ? jsonItems((JsonNode) a) : (List<?>) a;
      List<?> y = b instanceof JsonNode ? jsonItems((JsonNode) b) : (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(Values.unwrap(x.get(i)), Values.unwrap(y.get(i)))) {
          return false;
        }
      }
      return true;
    }
    if (Values.isMap(a) && Values.isMap(b)) {
      if (Sequences.size(a) != Sequences.size(b)) {
        return false;
      }
      for (Map.Entry<String, Object> e : Values.entries(a)) {
        Object other = Properties.property(b, e.getKey());
        if (!equal(Values.unwrap(e.getValue()), other)
            || other == null && !Values.hasKey(b, e.getKey())) {
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

  private static boolean matchesSpecial(Special s, Object v) {
    if (v instanceof Special) {
      return false; // Ruby: empty == empty and blank == blank are false (the literals have no
      // empty?)
    }
    if (s == Special.EMPTY) {
      return (v instanceof String || Values.isList(v) || Values.isMap(v)) && Sequences.isEmpty(v);
    }
    if (v == null || Boolean.FALSE.equals(v)) {
      return true;
    }
    if (v instanceof String str) {
      return str.isBlank();
    }
    return (Values.isList(v) || Values.isMap(v)) && Sequences.isEmpty(v);
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
      throw new LiquidError("cannot compare " + Values.describe(a) + " with " + Values.describe(b));
    }
    return null;
  }

  static boolean contains(Object left, Object right, RenderContext ctx) {
    if (right == null || Boolean.FALSE.equals(right)) {
      return false;
    }
    if (left instanceof String s) {
      return Search.contains(s, Values.toText(right, ctx), ctx);
    }
    if (Values.isList(left)) {
      if (left instanceof LiquidRange r) {
        return right instanceof Number n
            && Numbers.isInteger(n)
            && n.longValue() >= r.from()
            && n.longValue() <= r.to();
      }
      Iterable<?> items = left instanceof JsonNode n ? n : (List<?>) left;
      for (Object item : items) {
        ctx.work(1);
        if (equal(Values.unwrap(item), right)) {
          return true;
        }
      }
      return false;
    }
    if (Values.isMap(left)) {
      return right instanceof String k && Values.hasKey(left, k);
    }
    return false;
  }
}
