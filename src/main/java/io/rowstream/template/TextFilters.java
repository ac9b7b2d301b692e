package io.rowstream.template;

import static io.rowstream.template.Filters.arg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text filters: case, whitespace, appending and replacing, splitting, slicing, truncating. */
final class TextFilters {
  private TextFilters() {}

  static void register(Filters.Registrar r) {
    r.text("upcase", s -> s.toUpperCase(Locale.ROOT));
    r.text("downcase", s -> s.toLowerCase(Locale.ROOT));
    r.text(
        "capitalize",
        s ->
            s.isEmpty()
                ? s
                : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT)
                    + s.substring(s.offsetByCodePoints(0, 1)).toLowerCase(Locale.ROOT));
    r.text("strip", s -> Tokenizer.stripEnd(Tokenizer.stripStart(s)));
    r.text("lstrip", Tokenizer::stripStart);
    r.text("rstrip", Tokenizer::stripEnd);
    r.text(
        "strip_newlines",
        s ->
            s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "").replace("\n", ""));
    r.text(
        "newline_to_br",
        s -> s.indexOf('\n') < 0 ? s : s.replace("\r\n", "\n").replace("\n", "<br />\n"));
    r.text("squish", TextFilters::squish);
    r.add("append", 1, 1, (in, a, k, c) -> Values.toText(in, c).concat(Values.toText(a[0], c)));
    r.add("prepend", 1, 1, (in, a, k, c) -> Values.toText(a[0], c).concat(Values.toText(in, c)));
    r.add(
        "remove",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", 0, c));
    r.add(
        "remove_first",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", 1, c));
    r.add(
        "remove_last",
        1,
        1,
        (in, a, k, c) -> replace(Values.toText(in, c), Values.toText(a[0], c), "", -1, c));
    r.add(
        "replace",
        1,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), 0, c));
    r.add(
        "replace_first",
        1,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), 1, c));
    r.add(
        "replace_last",
        2,
        2,
        (in, a, k, c) ->
            replace(
                Values.toText(in, c), Values.toText(a[0], c), Values.toText(arg(a, 1), c), -1, c));
    r.add("split", 1, 1, (in, a, k, c) -> split(Values.toText(in, c), Values.toText(a[0], c), c));
    r.add("slice", 1, 2, TextFilters::slice);
    r.add("truncate", 0, 2, TextFilters::truncate);
    r.add("truncatewords", 0, 2, TextFilters::truncatewords);
  }

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
    List<Object> list = Sequences.asList(in, c);
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
}
