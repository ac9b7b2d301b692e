package io.rowstream.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text, {@code {{ output }}} and {@code {% tag %}} tokens, with 1-based
 * positions, and applies whitespace control ({@code {{-}}, {@code -%}}). The bodies of {@code raw}
 * and {@code doc} are read here as plain text: they are never tokenized.
 */
final class Tokenizer {
  enum Kind {
    TEXT,
    OUTPUT,
    TAG
  }

  /** One token. For a tag, {@code name} is its first word ("#" for an inline comment). */
  static final class Token {
    final Kind kind;
    String text;
    final String name;
    final int line;
    final int column;
    final boolean trimLeft;
    final boolean trimRight;

    Token(
        Kind kind,
        String text,
        String name,
        int line,
        int column,
        boolean trimLeft,
        boolean trimRight) {
      this.kind = kind;
      this.text = text;
      this.name = name;
      this.line = line;
      this.column = column;
      this.trimLeft = trimLeft;
      this.trimRight = trimRight;
    }
  }

  private final String src;
  private final List<Token> tokens = new ArrayList<>();
  private int line = 1;
  private int column = 1;
  private int scanned;

  private Tokenizer(String src) {
    this.src = src;
  }

  static List<Token> tokenize(String src) {
    Tokenizer t = new Tokenizer(src);
    t.run();
    t.applyWhitespaceControl();
    return t.tokens;
  }

  /** Advances the line/column counters to {@code offset}. */
  private void moveTo(int offset) {
    for (int i = scanned; i < offset; i++) {
      if (src.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    scanned = offset;
  }

  private void run() {
    int i = 0;
    int n = src.length();
    while (i < n) {
      int open = src.indexOf('{', i);
      while (open >= 0
          && open + 1 < n
          && src.charAt(open + 1) != '{'
          && src.charAt(open + 1) != '%') {
        open = src.indexOf('{', open + 1);
      }
      if (open < 0 || open + 1 >= n) {
        text(i, n);
        return;
      }
      if (open > i) {
        text(i, open);
      }
      moveTo(open);
      int tokenLine = line;
      int tokenColumn = column;
      boolean output = src.charAt(open + 1) == '{';
      int close = src.indexOf(output ? "}}" : "%}", open + 2);
      if (close < 0) {
        throw new TemplateSyntaxException(
            (output ? "the output '{{'" : "the tag '{%'")
                + " is not closed with '"
                + (output ? "}}" : "%}")
                + "'",
            tokenLine,
            tokenColumn);
      }
      int innerStart = open + 2;
      int innerEnd = close;
      boolean trimLeft = innerStart < innerEnd && src.charAt(innerStart) == '-';
      if (trimLeft) {
        innerStart++;
      }
      boolean trimRight = innerEnd > innerStart && src.charAt(innerEnd - 1) == '-';
      if (trimRight) {
        innerEnd--;
      }
      String inner = src.substring(innerStart, innerEnd);
      i = close + 2;
      if (output) {
        tokens.add(
            new Token(Kind.OUTPUT, inner, null, tokenLine, tokenColumn, trimLeft, trimRight));
        continue;
      }
      int p = 0;
      while (p < inner.length() && Values.isSpace(inner.charAt(p))) {
        p++;
      }
      String name;
      String markup;
      if (p < inner.length() && inner.charAt(p) == '#') {
        name = "#";
        markup = inner.substring(p + 1);
      } else {
        int start = p;
        while (p < inner.length()
            && (Character.isLetterOrDigit(inner.charAt(p)) || inner.charAt(p) == '_')) {
          p++;
        }
        name = inner.substring(start, p);
        markup = inner.substring(p);
      }
      tokens.add(new Token(Kind.TAG, markup, name, tokenLine, tokenColumn, trimLeft, trimRight));
      if (name.equals("raw") || name.equals("doc")) {
        i = rawBody(i, name, tokenLine, tokenColumn);
      }
    }
  }

  private void text(int from, int to) {
    moveTo(from);
    tokens.add(new Token(Kind.TEXT, src.substring(from, to), null, line, column, false, false));
  }

  /** Reads the body of raw/doc up to its end tag, as one text token, then the end tag. */
  private int rawBody(int from, String name, int line, int column) {
    String end = "end" + name;
    int i = from;
    while (true) {
      int open = src.indexOf("{%", i);
      if (open < 0) {
        throw new TemplateSyntaxException("'" + name + "' is not closed", line, column);
      }
      int p = open + 2;
      boolean trimLeft = p < src.length() && src.charAt(p) == '-';
      if (trimLeft) {
        p++;
      }
      while (p < src.length() && Values.isSpace(src.charAt(p))) {
        p++;
      }
      if (src.startsWith(end, p)) {
        int q = p + end.length();
        while (q < src.length() && Values.isSpace(src.charAt(q))) {
          q++;
        }
        if (name.equals("doc") && q > p + end.length()) {
          // Ruby ignores what follows enddoc ({% enddoc xyz %})
          int close = src.indexOf("%}", q);
          q = close < 0 ? q : src.charAt(close - 1) == '-' ? close - 1 : close;
        }
        boolean trimRight = q < src.length() && src.charAt(q) == '-';
        if (trimRight) {
          q++;
        }
        if (src.startsWith("%}", q)) {
          moveTo(from);
          tokens.add(
              new Token(
                  Kind.TEXT,
                  src.substring(from, open),
                  "raw",
                  this.line,
                  this.column,
                  false,
                  false));
          moveTo(open);
          tokens.add(new Token(Kind.TAG, "", end, this.line, this.column, trimLeft, trimRight));
          return q + 2;
        }
      }
      i = open + 2;
    }
  }

  private void applyWhitespaceControl() {
    for (int k = 0; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.kind == Kind.TEXT) {
        continue;
      }
      if (t.trimLeft && k > 0 && tokens.get(k - 1).kind == Kind.TEXT) {
        Token prev = tokens.get(k - 1);
        prev.text = stripEnd(prev.text);
      }
      if (t.trimRight && k + 1 < tokens.size() && tokens.get(k + 1).kind == Kind.TEXT) {
        Token next = tokens.get(k + 1);
        next.text = stripStart(next.text);
      }
    }
  }

  static String stripStart(String s) {
    int i = 0;
    while (i < s.length() && Values.isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String stripEnd(String s) {
    int i = s.length();
    while (i > 0 && Values.isSpace(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }
}
