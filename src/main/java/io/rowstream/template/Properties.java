package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reading into a Liquid value: {@code obj.key}, {@code obj[key]} and Ruby's {@code item[key]} as
 * the list filters use it. Kept apart from {@link Values} because the rules per kind of value (JSON
 * trees, maps, lists, ranges, loop objects, strings, integers) are long and change together.
 */
final class Properties {
  private Properties() {}

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
            return Values.unwrap(child);
          }
          if (commands && k.equals("size")) {
            return (long) n.size();
          }
          if (commands && k.equals("first")) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            if (it.hasNext()) {
              Map.Entry<String, JsonNode> e = it.next();
              return Arrays.asList(e.getKey(), Values.unwrap(e.getValue()));
            }
          }
        }
        return null;
      }
      if (n.isArray()) {
        if (key instanceof Number i) {
          return Values.unwrap(index(n.size(), i) < 0 ? null : n.get(index(n.size(), i)));
        }
        if (commands && "size".equals(key)) {
          return (long) n.size();
        }
        if (commands && "first".equals(key)) {
          return n.size() == 0 ? null : Values.unwrap(n.get(0));
        }
        if (commands && "last".equals(key)) {
          return n.size() == 0 ? null : Values.unwrap(n.get(n.size() - 1));
        }
      }
      return null;
    }
    if (obj instanceof Map<?, ?> m) {
      if (key instanceof String k) {
        Object v = m.get(k);
        if (v != null || m.containsKey(k)) {
          return Values.unwrap(v);
        }
        if (commands && k.equals("size")) {
          return (long) m.size();
        }
        if (commands && k.equals("first")) {
          for (Map.Entry<?, ?> e : m.entrySet()) {
            return Arrays.asList(e.getKey(), Values.unwrap(e.getValue()));
          }
        }
      }
      return null;
    }
    if (obj instanceof List<?> l) {
      if (key instanceof Number i) {
        int at = index(l.size(), i);
        return at < 0 ? null : Values.unwrap(l.get(at));
      }
      if (commands && "size".equals(key)) {
        return (long) l.size();
      }
      if (commands && "first".equals(key)) {
        return l.isEmpty() ? null : Values.unwrap(l.get(0));
      }
      if (commands && "last".equals(key)) {
        return l.isEmpty() ? null : Values.unwrap(l.get(l.size() - 1));
      }
      return null;
    }
    if (commands && obj instanceof Number n && "size".equals(key)) {
      return Sequences.size(n);
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

  /**
   * Ruby's {@code item[key]} as the filters where, reject, find, has, map and sum use it: objects
   * by key, strings by substring, lists by index; an error where Ruby raises a TypeError.
   */
  static Object index(Object item, Object key, String filter) {
    if (Values.isMap(item)) {
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
    if (Values.isList(item)) {
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
            + Values.describe(key)
            + " of "
            + Values.describe(item)
            + "; expected a list of objects");
  }
}
