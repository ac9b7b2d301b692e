package io.rowstream.core;

/**
 * Lone UTF-16 surrogates: halves of a pair without the other half. No UTF-8 byte sequence stands
 * for one, so a text holding one cannot travel in a record; a row with one is rejected as {@link
 * Rejection#INVALID_TEXT} rather than sent with a replacement character.
 */
public final class Surrogates {
  private Surrogates() {}

  /** The index of the first lone surrogate in the text, or -1 when every surrogate is paired. */
  public static int findLone(CharSequence text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The JSON escape of a UTF-16 unit, as PostgreSQL writes it: {@code \ud800}. */
  public static String escape(char c) {
    return String.format("\\u%04x", (int) c);
  }
}
