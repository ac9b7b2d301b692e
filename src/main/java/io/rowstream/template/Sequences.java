package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Liquid values as sizes and sequences: what {@code size} and {@code empty} mean, what a {@code
 * for} loop walks and how filters see their input. Ranges become lists here, so the loop iteration
 * limit is checked in one place.
 */
final class Sequences {
  private Sequences() {}

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
          out.add(Arrays.asList(e.getKey(), Values.unwrap(e.getValue())));
        }
        return out;
      }
      return loopItems(Values.unwrap(n), ctx);
    }
    if (v instanceof Map<?, ?> m) {
      List<Object> out = new ArrayList<>(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(Arrays.asList(e.getKey(), Values.unwrap(e.getValue())));
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
    if (Values.isList(v)) {
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
      Object u = Values.unwrap(item);
      if (Values.isList(u)) {
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
        out.add(Values.unwrap(item));
      }
      return out;
    }
    if (v instanceof JsonNode n && n.isArray()) {
      List<Object> out = new ArrayList<>(n.size());
      for (JsonNode item : n) {
        out.add(Values.unwrap(item));
      }
      return out;
    }
    return null;
  }
}
