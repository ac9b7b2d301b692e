package io.rowstream.config;

import java.util.Collection;

/** "Did you mean" for misspelt keys and names. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate within edit distance 2 (or a third of the word) of {@code word}; else the one
   * candidate that {@code word} is the first part of ({@code role} for {@code role_arn}); else
   * null.
   */
  static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Math.max(2, word.length() / 3) + 1;
    for (String candidate : candidates) {
      int d = distance(word.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null && word.length() >= 3) {
      String prefix = word.toLowerCase() + "_";
      var extended = candidates.stream().filter(c -> c.toLowerCase().startsWith(prefix)).toList();
      return extended.size() == 1 ? extended.get(0) : null;
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
