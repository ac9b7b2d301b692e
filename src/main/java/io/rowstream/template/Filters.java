package io.rowstream.template;

import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard Liquid filters (Ruby Liquid 5 semantics) plus {@code json} and {@code raw}. A filter
 * is looked up and its argument count checked once, at compile time.
 */
final class Filters {
  private Filters() {}

  /** How a filter runs: input, positional arguments, keyword arguments. */
  interface Impl {
    Object apply(Object input, Object[] args, Map<String, Object> keywords, RenderContext ctx);
  }

  /** A filter: its name, how many positional arguments it takes, and what it does. */
  record Def(String name, int min, int max, Impl impl) {}

  private static final Map<String, Def> FILTERS = new HashMap<>();

  static Def get(String name) {
    return FILTERS.get(name);
  }

  private static void add(String name, int min, int max, Impl impl) {
    FILTERS.put(name, new Def(name, min, max, impl));
  }

  private interface StringOp {
    Object apply(String s);
  }

  private static void string(String name, StringOp op) {
    add(name, 0, 0, (in, a, k, c) -> op.apply(Values.toText(in, c)));
  }

  private static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : null;
  }

  static {
    // ---- JSON output
    add(
        "json",
        0,
        0,
        (in, a, k, c) -> {
          StringBuilder out = new StringBuilder();
          Json.writeValue(in, out, c.maxOutputChars());
          return out.toString();
        });
    add("raw", 0, 0, (in, a, k, c) -> in);

    // ---- strings
    string("upcase", s -> s.toUpperCase(Locale.ROOT));
    string("downcase", s -> s.toLowerCase(Locale.ROOT));
    string(
        "capitalize",
        s ->
            s.isEmpty()
                ? s
                : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT)
                    + s.substring(s.offsetByCodePoints(0, 1)).toLowerCase(Locale.ROOT));
    string("strip", s -> Tokenizer.stripEnd(Tokenizer.stripStart(s)));
    string("lstrip", Tokenizer::stripStart);
    string("rstrip", Tokenizer::stripEnd);
    string(
        "strip_newlines",
        s ->
            s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "").replace("\n", ""));
    string(
        "newline_to_br",
        s -> s.indexOf('\n') < 0 ? s : s.replace("\r\n", "\n").replace("\n", "<br />\n"));
    string("escape", Filters::escapeHtml);
    string("h", Filters::escapeHtml);
    string("escape_once", Filters::escapeOnce);
    string("strip_html", Filters::stripHtml);
    string("url_encode", Filters::urlEncode);
    string("url_decode", Filters::urlDecode);
    string("squish", Filters::squish);
    string(
        "base64_encode",
        s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    string(
        "base64_url_safe_encode",
        s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    string("base64_decode", s -> base64(s, Base64.getDecoder(), "base64_decode"));
    string(
        "base64_url_safe_decode", s -> base64(s, Base64.getUrlDecoder(), "base64_url_safe_decode"));
    add("append", 1, 1, (in, a, k, c) -> Values.toText(in, c).concat(Values.toText(a[0], c)));
    add("prepend", 1, 1, (in, a, k, c) -> Values.toText(a[0], c).concat(Values.toText(in, c)));
    add(
        "remove",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", 0, c));
    add(
        "remove_first",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", 1, c));
    add(
        "remove_last",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", -1, c));
    add(
        "replace",
        1,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), 0, c));
    add(
        "replace_first",
        1,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), 1, c));
    add(
        "replace_last",
        2,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), -1, c));
    add("split", 1, 1, (in, a, k, c) -> split(Values.toText(in, c), Values.toText(a[0], c), c));
    add("slice", 1, 2, Filters::slice);
    add("truncate", 0, 2, Filters::truncate);
    add("truncatewords", 0, 2, Filters::truncatewords);
    add("size", 0, 0, (in, a, k, c) -> Values.size(in));
    add(
        "default",
        0,
        1,
        (in, a, k, c) -> {
          boolean allowFalse = Values.truthy(k.get("allow_false"));
          boolean useDefault =
              in == null
                  || (Boolean.FALSE.equals(in) && !allowFalse)
                  || (!(in instanceof Special) && Values.isEmpty(in));
          return useDefault ? arg(a, 0) : in;
        });
    add("date", 1, 1, (in, a, k, c) -> Dates.filter(in, a[0], c));

    // ---- numbers
    add("plus", 1, 1, (in, a, k, c) -> Numbers.plus(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    add(
        "minus",
        1,
        1,
        (in, a, k, c) -> Numbers.minus(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    add(
        "times",
        1,
        1,
        (in, a, k, c) -> Numbers.times(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    add(
        "divided_by",
        1,
        1,
        (in, a, k, c) -> Numbers.dividedBy(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    add(
        "modulo",
        1,
        1,
        (in, a, k, c) -> Numbers.modulo(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    add("abs", 0, 0, (in, a, k, c) -> Numbers.abs(Numbers.toNumber(in)));
    add("ceil", 0, 0, (in, a, k, c) -> Numbers.round(Numbers.toNumber(in), RoundingMode.CEILING));
    add("floor", 0, 0, (in, a, k, c) -> Numbers.round(Numbers.toNumber(in), RoundingMode.FLOOR));
    add(
        "round",
        0,
        1,
        (in, a, k, c) -> Numbers.round(Numbers.toNumber(in), Numbers.toLong(arg(a, 0))));
    add(
        "at_least",
        1,
        1,
        (in, a, k, c) -> {
          Number x = Numbers.toNumber(in);
          Number y = Numbers.toNumber(a[0]);
          return Numbers.compare(x, y) >= 0 ? x : y;
        });
    add(
        "at_most",
        1,
        1,
        (in, a, k, c) -> {
          Number x = Numbers.toNumber(in);
          Number y = Numbers.toNumber(a[0]);
          return Numbers.compare(x, y) <= 0 ? x : y;
        });

    // ---- lists
    add(
        "join",
        0,
        1,
        (in, a, k, c) -> {
          if (!Values.isList(in)) {
            return in == null ? "" : Values.toText(in, c);
          }
          String glue = a.length == 0 ? " " : Values.toText(a[0], c);
          StringBuilder out = new StringBuilder();
          List<Object> items = Values.inputList(in, c);
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
    add(
        "first",
        0,
        0,
        (in, a, k, c) -> {
          if (in instanceof String s) {
            return s.isEmpty() ? null : s.substring(0, s.offsetByCodePoints(0, 1));
          }
          return Values.property(in, "first");
        });
    add(
        "last",
        0,
        0,
        (in, a, k, c) -> {
          if (in instanceof String s) {
            return s.isEmpty() ? null : s.substring(s.offsetByCodePoints(s.length(), -1));
          }
          return Values.isList(in) ? Values.property(in, "last") : null;
        });
    add(
        "reverse",
        0,
        0,
        (in, a, k, c) -> {
          List<Object> items = Values.inputList(in, c);
          Collections.reverse(items);
          return items;
        });
    add(
        "concat",
        1,
        1,
        (in, a, k, c) -> {
          if (!Values.isList(a[0])) {
            throw new LiquidError("concat: expected a list to add, not " + Values.describe(a[0]));
          }
          List<Object> items = Values.inputList(in, c);
          items.addAll(Values.inputList(a[0], c));
          return items;
        });
    add(
        "compact",
        0,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          for (Object item : Values.inputList(in, c)) {
            Object v = a.length == 0 ? item : itemProperty(item, a[0], "compact");
            if (v != null && v != Values.NO_INDEX) {
              out.add(item);
            }
          }
          return out;
        });
    add(
        "uniq",
        0,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          // strings equal only strings: a hash set for them, a walk for the rest
          java.util.Set<String> seenText = new java.util.HashSet<>();
          List<Object> seen = new ArrayList<>();
          for (Object item : Values.inputList(in, c)) {
            Object key = a.length == 0 ? item : itemProperty(item, a[0], "uniq");
            boolean found;
            if (key instanceof String text) {
              found = !seenText.add(text);
              c.work(1);
            } else {
              found = false;
              for (Object s : seen) {
                if (Values.equal(s, key)) {
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
    add(
        "map",
        1,
        1,
        (in, a, k, c) -> {
          List<Object> out = new ArrayList<>();
          for (Object item : Values.inputList(in, c)) {
            Object v = Values.index(item, a[0], "map");
            out.add(v == Values.NO_INDEX ? null : v);
          }
          return out;
        });
    add(
        "sum",
        0,
        1,
        (in, a, k, c) -> {
          Number total = 0L;
          for (Object item : Values.inputList(in, c)) {
            Object v = a.length == 0 || a[0] == null ? item : Values.index(item, a[0], "sum");
            if (v instanceof Number || v instanceof String) {
              total = Numbers.plus(total, Numbers.toNumber(v));
            }
          }
          return total;
        });
    add("sort", 0, 1, (in, a, k, c) -> sort(in, arg(a, 0), false, c));
    add("sort_natural", 0, 1, (in, a, k, c) -> sort(in, arg(a, 0), true, c));
    add("where", 1, 2, (in, a, k, c) -> select(in, a, c, "where", true));
    add("reject", 1, 2, (in, a, k, c) -> select(in, a, c, "reject", false));
    add("find", 1, 2, (in, a, k, c) -> find(in, a, c, "find", false));
    add("find_index", 1, 2, (in, a, k, c) -> find(in, a, c, "find_index", true));
    add(
        "has",
        1,
        2,
        (in, a, k, c) -> {
          Object found = find(in, a, c, "has", true);
          if (found == Values.NO_INDEX) {
            return null;
          }
          return found != null;
        });
  }

  private static Object itemProperty(Object item, Object property, String filter) {
    if (property == null) {
      return item;
    }
    return Values.index(item, property, filter);
  }

  // ---- where / reject / find / find_index / has

  private static boolean matches(Object item, Object[] a, String filter) {
    Object v = Values.index(item, a[0], filter);
    if (v == Values.NO_INDEX) {
      throw NoIndex.INSTANCE;
    }
    Object target = arg(a, 1);
    return target == null ? Values.truthy(v) : Values.equal(v, target);
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
    List<Object> items = Values.inputList(in, c);
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
    List<Object> items = Values.inputList(in, c);
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
      return filter.equals("has") ? Values.NO_INDEX : null;
    }
    return null;
  }

  // ---- sorting

  private static Object sort(Object in, Object property, boolean natural, RenderContext c) {
    List<Object> items = Values.inputList(in, c);
    List<Object[]> keyed = new ArrayList<>(items.size());
    for (Object item : items) {
      Object key =
          property == null ? item : Values.isMap(item) ? Values.property(item, property) : null;
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
          Integer o = Values.order(p, q);
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

  // ---- string helpers

  /** Replaces all (count 0), the first (1) or the last (-1) occurrence, bounded in size. */
  static String replace(String s, String target, String replacement, int count, RenderContext c) {
    if (target.isEmpty()) {
      if (count == 1) {
        return replacement + s;
      }
      if (count == -1) {
        return s + replacement;
      }
      c.checkSize((long) (s.length() + 1) * replacement.length() + s.length());
      StringBuilder out = new StringBuilder();
      out.append(replacement);
      for (int i = 0; i < s.length(); i++) {
        out.append(s.charAt(i));
        if (!Character.isHighSurrogate(s.charAt(i))) {
          out.append(replacement);
        }
      }
      return out.toString();
    }
    if (count == 1) {
      int at = Search.indexOf(s, target, 0, c);
      return at < 0 ? s : s.substring(0, at) + replacement + s.substring(at + target.length());
    }
    if (count == -1) {
      int at = Search.lastIndexOf(s, target, c);
      return at < 0 ? s : s.substring(0, at) + replacement + s.substring(at + target.length());
    }
    int at = Search.indexOf(s, target, 0, c);
    if (at < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (at >= 0) {
      out.append(s, from, at).append(replacement);
      c.checkSize(out.length());
      from = at + target.length();
      at = Search.indexOf(s, target, from, c);
    }
    return out.append(s, from, s.length()).toString();
  }

  /** Ruby's split: a single space splits on runs of whitespace; trailing empty parts dropped. */
  private static List<Object> split(String s, String sep, RenderContext c) {
    List<Object> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    if (sep.isEmpty()) {
      s.codePoints()
          .forEach(
              cp -> {
                out.add(new String(Character.toChars(cp)));
                c.work(1);
              });
      return out;
    }
    if (sep.equals(" ")) {
      int i = 0;
      int n = s.length();
      while (i < n) {
        while (i < n && Values.isSpace(s.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !Values.isSpace(s.charAt(i))) {
          i++;
        }
        if (i > start) {
          out.add(s.substring(start, i));
        }
      }
      return out;
    }
    int from = 0;
    int at;
    while ((at = Search.indexOf(s, sep, from, c)) >= 0) {
      out.add(s.substring(from, at));
      from = at + sep.length();
      c.work(1);
    }
    out.add(s.substring(from));
    while (!out.isEmpty() && ((String) out.get(out.size() - 1)).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static Object slice(Object in, Object[] a, Map<String, Object> k, RenderContext c) {
    long offset = Numbers.toIntegerStrict(a[0], "slice: the offset");
    long length =
        a.length < 2 || a[1] == null ? 1 : Numbers.toIntegerStrict(a[1], "slice: the length");
    List<Object> list = Values.asList(in, c);
    if (list != null) {
      int size = list.size();
      long start = offset < 0 ? size + offset : offset;
      if (start < 0 || start > size || length < 0) {
        return List.of();
      }
      return new ArrayList<>(list.subList((int) start, (int) Math.min(size, start + length)));
    }
    String s = Values.toText(in, c);
    int[] cps = s.codePoints().toArray();
    long start = offset < 0 ? cps.length + offset : offset;
    if (start < 0 || start >= cps.length || length < 0) {
      return "";
    }
    int end = (int) Math.min(cps.length, start + length);
    return new String(cps, (int) start, end - (int) start);
  }

  private static Object truncate(Object in, Object[] a, Map<String, Object> k, RenderContext c) {
    if (in == null) {
      return null;
    }
    String s = Values.toText(in, c);
    long length = a.length == 0 ? 50 : Numbers.toIntegerStrict(a[0], "truncate: the length");
    String ellipsis = a.length < 2 ? "..." : Values.toText(a[1], c);
    int cps = s.codePointCount(0, s.length());
    if (cps <= length) {
      return s;
    }
    long keep = Math.max(0, length - ellipsis.codePointCount(0, ellipsis.length()));
    return s.substring(0, s.offsetByCodePoints(0, (int) Math.min(keep, cps))) + ellipsis;
  }

  private static Object truncatewords(
      Object in, Object[] a, Map<String, Object> k, RenderContext c) {
    if (in == null) {
      return null;
    }
    String s = Values.toText(in, c);
    long words =
        a.length == 0 ? 15 : Numbers.toIntegerStrict(a[0], "truncatewords: the word count");
    String ellipsis = a.length < 2 ? "..." : Values.toText(a[1], c);
    if (words < 1) {
      words = 1;
    }
    List<Object> parts = split(s, " ", c);
    if (parts.size() <= words) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append((String) parts.get(i));
    }
    return out.append(ellipsis).toString();
  }

  private static String escapeHtml(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      String rep;
      switch (ch) {
        case '&':
          rep = "&amp;";
          break;
        case '<':
          rep = "&lt;";
          break;
        case '>':
          rep = "&gt;";
          break;
        case '"':
          rep = "&quot;";
          break;
        case '\'':
          rep = "&#39;";
          break;
        default:
          rep = null;
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(ch);
      }
    }
    return out == null ? s : out.toString();
  }

  private static String escapeOnce(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '&') {
        // an entity name is short: look no further than 32 characters (keeps the filter linear)
        int semi = -1;
        for (int j = i + 1, end = Math.min(s.length(), i + 33); j < end && semi < 0; j++) {
          semi = s.charAt(j) == ';' ? j : -1;
        }
        if (semi > i + 1 && isEntity(s.substring(i + 1, semi))) {
          out.append('&');
          continue;
        }
      }
      out.append(escapeHtml(String.valueOf(ch)));
    }
    return out.toString();
  }

  private static boolean isEntity(String name) {
    if (name.startsWith("#")) {
      return name.length() > 1 && name.substring(1).chars().allMatch(Character::isDigit)
          || name.length() > 2
              && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
              && name.substring(2).chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    }
    return !name.isEmpty() && name.chars().allMatch(ch -> ch < 128 && Character.isLetter(ch));
  }

  private static String stripHtml(String s) {
    String out = removeBetween(s, "<script", "</script>");
    out = removeBetween(out, "<style", "</style>");
    out = removeBetween(out, "<!--", "-->");
    StringBuilder b = new StringBuilder();
    int i = 0;
    boolean closing = true;
    while (i < out.length()) {
      char ch = out.charAt(i);
      if (ch == '<' && closing) {
        int close = out.indexOf('>', i);
        if (close > 0) {
          i = close + 1;
          continue;
        }
        closing = false; // no '>' after here: no later '<' closes either
      }
      b.append(ch);
      i++;
    }
    return b.toString();
  }

  private static String removeBetween(String s, String open, String close) {
    String lower = s.toLowerCase(Locale.ROOT);
    int at = lower.indexOf(open);
    if (at < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (at >= 0) {
      int end = lower.indexOf(close, at + open.length());
      if (end < 0) {
        break;
      }
      out.append(s, from, at);
      from = end + close.length();
      at = lower.indexOf(open, from);
    }
    return out.append(s, from, s.length()).toString();
  }

  private static String urlEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int ch = b & 0xff;
      if (ch >= 'a' && ch <= 'z'
          || ch >= 'A' && ch <= 'Z'
          || ch >= '0' && ch <= '9'
          || ch == '_'
          || ch == '.'
          || ch == '-'
          || ch == '~') {
        out.append((char) ch);
      } else if (ch == ' ') {
        out.append('+');
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(ch & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Ruby's CGI.unescape: + is a space, %XX a byte; a malformed % escape stays as it is. */
  private static String urlDecode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%'
          && i + 2 < in.length
          && Character.digit(in[i + 1], 16) >= 0
          && Character.digit(in[i + 2], 16) >= 0) {
        bytes.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Liquid 5.6's squish: stripped, every run of whitespace one space. */
  private static String squish(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Values.isSpace(ch)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static String base64(String s, Base64.Decoder decoder, String filter) {
    try {
      return new String(decoder.decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new LiquidError(filter + ": " + Values.describe(s) + " is not valid base64");
    }
  }
}
