package io.rowstream.source;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.rowstream.core.Surrogates;

/**
 * JSON string quoting that keeps lone surrogates as escapes ({@code \ud800}) instead of letting the
 * generator fail or replace them: the row's text then survives UTF-8 and the renderer rejects the
 * row as invalid_text naming the column.
 */
final class JsonQuoting {
  private JsonQuoting() {}

  /** The text quoted for a JSON string (without the quotes), lone surrogates as escapes. */
  static char[] keepingLoneSurrogates(String s) {
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    StringBuilder quoted = new StringBuilder(s.length() + 16);
    int start = 0;
    int lone;
    while ((lone = Surrogates.findLone(s.substring(start))) >= 0) {
      quoted.append(encoder.quoteAsString(s.substring(start, start + lone)));
      quoted.append(Surrogates.escape(s.charAt(start + lone)));
      start += lone + 1;
    }
    quoted.append(encoder.quoteAsString(s.substring(start)));
    char[] chars = new char[quoted.length()];
    quoted.getChars(0, chars.length, chars, 0);
    return chars;
  }
}
