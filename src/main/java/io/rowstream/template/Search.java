package io.rowstream.template;

/**
 * Substring search that counts its work against the render's time bound: {@code String.indexOf}
 * compares naively, so a long target in a long text could run for minutes inside one call.
 */
final class Search {
  /** Targets this short are searched by the JDK: at most this many comparisons per character. */
  private static final int SHORT = 32;

  private Search() {}

  static int indexOf(String s, String target, int from, RenderContext ctx) {
    int m = target.length();
    if (m <= SHORT) {
      ctx.work((long) (s.length() - Math.min(from, s.length())) / 64 + 1);
      return s.indexOf(target, from);
    }
    char first = target.charAt(0);
    int last = s.length() - m;
    for (int i = Math.max(from, 0); i <= last; i++) {
      i = s.indexOf(first, i);
      if (i < 0 || i > last) {
        return -1;
      }
      ctx.work(m);
      if (s.regionMatches(i, target, 0, m)) {
        return i;
      }
    }
    return -1;
  }

  static int lastIndexOf(String s, String target, RenderContext ctx) {
    int m = target.length();
    if (m <= SHORT) {
      ctx.work(s.length() / 64 + 1);
      return s.lastIndexOf(target);
    }
    char first = target.charAt(0);
    for (int i = s.length() - m; i >= 0; i--) {
      i = s.lastIndexOf(first, i);
      if (i < 0) {
        return -1;
      }
      ctx.work(m);
      if (s.regionMatches(i, target, 0, m)) {
        return i;
      }
    }
    return -1;
  }

  static boolean contains(String s, String target, RenderContext ctx) {
    return indexOf(s, target, 0, ctx) >= 0;
  }
}
