package io.rowstream.template;

import static io.rowstream.template.Filters.arg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The list filters: joining, picking, de-duplicating, mapping, summing, sorting, searching. */
final class ListFilters {
  private ListFilters() {}

  static void register(Filters.Registrar r) {
    r.add(
        "join",
        0,
        1,
        (in, a, k, c) -> {
          if (!Values.isList(in)) {
            return in == null ? "" : Values.toText(in, c);
          }
          String glue = a.length == 0 ? " " : Values.toText(a[0], c);
          StringBuilder out = new StringBuilder();
          List<Object> items = Sequences.inputList(in, c);
          for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
              out.append(glue);
            }
            Values.appendText(items.get(i), out, c);
            c.checkSize(out.length());
            c.work(1);
          }
          return out.toString();
        });
    r.add(
        "first",
        0,
        0,
        (in, a, k, c) -> {
          if (in instanceof String s) {
            return s.isEmpty() ? null : s.substring(0, s.offsetByCodePoints(0, 1));
          }
          return Properties.property(in, "first");
        });
    r.add(
        "last",
        0,
        0,
        (in, a, k, c) -> {
          if (in instanceof String s) {
            return s.isEmpty() ? null : s.substring(s.offsetByCodePoints(s.length(), -1));
          }
          return Values.isList(in) ? Properties.property(in, "last") : null;
        });
    r.add(
        "reverse",
        0,
        0,
        (in, a, k, c) -> {
          List<Object> items = Sequences.inputList(in, c);
          Collections.reverse(items);
          return items;
        });
    r.add(
        "concat",
        1,
        1,
        (in, a, k, c) -> {
          if (!Values.isList(a[0])) {
            throw new LiquidError("concat: expected a list to add, not " + Values.describe(a[0]));
          }
          List<Object> items = Sequences.inputList(in, c);
          items.addAll(Sequences.inputList(a[0], c));
          return items;
        });
    r.add(
        "compact",
        0,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          for (Object item : Sequences.inputList(in, c)) {
            Object v = a.length == 0 ? item : itemProperty(item, a[0], "compact");
            if (v != null && v != Properties.NO_INDEX) {
              out.add(item);
            }
          }
          return out;
        });
    r.add(
        "uniq",
        0,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          // strings equal only strings: a hash set for them, a walk for the rest
          java.util.Set<String> seenText = new java.util.HashSet<>();
          List<Object> seen = new ArrayList<>();
          for (Object item : Sequences.inputList(in, c)) {
            Object key = a.length == 0 ? item : itemProperty(item, a[0], "uniq");
            boolean found;
            if (key instanceof String text) {
              found = !seenText.add(text);
              c.work(1);
            } else {
              found = false;
              for (Object s : seen) {
                if (Comparisons.equal(s, key)) {
                  found = true;
                  break;
                }
              }
              c.work(seen.size() + 1);
              if (!found) {
                seen.add(key);
              }
            }
            if (!found) {
              out.add(item);
            }
          }
          return out;
        });
    r.add(
        "map",
        1,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          for (Object item : Sequences.inputList(in, c)) {
            Object v = Properties.index(item, a[0], "map");
            out.add(v == Properties.NO_INDEX ? null : v);
          }
          return out;
        });
    r.add(
        "sum",
        0,
        1,
        (in, a, k, c) -> {
          Number total = 0L;
          for (Object item : Sequences.inputList(in, c)) {
            Object v = a.length == 0 || a[0] == null ? item : Properties.index(item, a[0], "sum");
            if (v instanceof Number || v instanceof String) {
              total = Arithmetic.plus(total, Numbers.toNumber(v));
            }
          }
          return total;
        });
    r.add("sort", 0, 1, (in, a, k, c) -> sort(in, arg(a, 0), false, c));
    r.add("sort_natural", 0, 1, (in, a, k, c) -> sort(in, arg(a, 0), true, c));
    r.add("where", 1, 2, (in, a, k, c) -> select(in, a, c, "where", true));
    r.add("reject", 1, 2, (in, a, k, c) -> select(in, a, c, "reject", false));
    r.add("find", 1, 2, (in, a, k, c) -> find(in, a, c, "find", false));
    r.add("find_index", 1, 2, (in, a, k, c) -> find(in, a, c, "find_index", true));
    r.add(
        "has",
        1,
        2,
        (in, a, k, c) -> {
          Object found = find(in, a, c, "has", true);
          if (found == Properties.NO_INDEX) {
            return null;
          }
          return found != null;
        });
  }

  private static Object itemProperty(Object item, Object property, String filter) {
    if (property == null) {
      return item;
    }
    return Properties.index(item, property, filter);
  }

  // ---- where / reject / find / find_index / has

  private static boolean matches(Object item, Object[] a, String filter) {
    Object v = Properties.index(item, a[0], filter);
    if (v == Properties.NO_INDEX) {
      throw NoIndex.INSTANCE;
    }
    Object target = arg(a, 1);
    return target == null ? Values.truthy(v) : Comparisons.equal(v, target);
  }

  /** An item without [] (nil, a boolean) ends the filter with nil, as in Ruby Liquid. */
  private static final class NoIndex extends RuntimeException {
    static final NoIndex INSTANCE = new NoIndex();

    private NoIndex() {
      super(null, null, false, false);
    }
  }

  private static Object select(
      Object in, Object[] a, RenderContext c, String filter, boolean keep) {
    List<Object> items = Sequences.inputList(in, c);
    if (a[0] == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    try {
      for (Object item : items) {
        if (matches(item, a, filter) == keep) {
          out.add(item);
        }
      }
    } catch (NoIndex e) {
      return null;
    }
    return out;
  }

  /** find returns the item, find_index its index; NO_INDEX when an item has no [] (for has). */
  private static Object find(Object in, Object[] a, RenderContext c, String filter, boolean index) {
    List<Object> items = Sequences.inputList(in, c);
    if (a[0] == null) {
      return null;
    }
    try {
      for (int i = 0; i < items.size(); i++) {
        if (matches(items.get(i), a, filter)) {
          return index ? (Object) (long) i : items.get(i);
        }
      }
    } catch (NoIndex e) {
      return filter.equals("has") ? Properties.NO_INDEX : null;
    }
    return null;
  }

  // ---- sorting

  private static Object sort(Object in, Object property, boolean natural, RenderContext c) {
    List<Object> items = Sequences.inputList(in, c);
    List<Object[]> keyed = new ArrayList<>(items.size());
    for (Object item : items) {
      Object key =
          property == null ? item : Values.isMap(item) ? Properties.property(item, property) : null;
      keyed.add(new Object[] {key, item});
    }
    Comparator<Object[]> order =
        (x, y) -> {
          c.work(1);
          Object p = x[0];
          Object q = y[0];
          if (p == null || q == null) {
            return p == null ? (q == null ? 0 : 1) : -1;
          }
          if (natural) {
            return Values.toText(p, c)
                .toLowerCase(Locale.ROOT)
                .compareTo(Values.toText(q, c).toLowerCase(Locale.ROOT));
          }
          Integer o = Comparisons.order(p, q);
          if (o == null) {
            if (p instanceof Boolean && q instanceof Boolean) {
              return Boolean.compare((Boolean) p, (Boolean) q);
            }
            throw new LiquidError(
                "sort: cannot compare " + Values.describe(p) + " with " + Values.describe(q));
          }
          return o;
        };
    try {
      keyed.sort(order);
    } catch (IllegalArgumentException e) {
      throw new LiquidError("sort: the items cannot be ordered");
    }
    List<Object> out = new ArrayList<>(keyed.size());
    for (Object[] k : keyed) {
      out.add(k[1]);
    }
    return out;
  }
}
