package io.rowstream.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the markup inside a tag or an output: literals, variable paths, ranges, filters and
 * conditions. Strict: anything it does not understand is a syntax error at the tag's position.
 */
final class ExprParser {
  enum Kind {
    IDENT,
    STRING,
    INT,
    FLOAT,
    DOT,
    DOTDOT,
    LBRACKET,
    RBRACKET,
    LPAREN,
    RPAREN,
    PIPE,
    COLON,
    COMMA,
    COMPARE,
    EQUALS,
    END
  }

  private final String src;
  private final int line;
  private final int column;
  private final List<Kind> kinds = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();
  private final List<Integer> starts = new ArrayList<>();
  private int pos;
  private int depth;

  ExprParser(String src, int line, int column) {
    this.src = src;
    this.line = line;
    this.column = column;
    lex();
  }

  TemplateSyntaxException error(String reason) {
    return new TemplateSyntaxException(reason, line, column);
  }

  private void lex() {
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (Values.isSpace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (Character.isLetter(c) || c == '_') {
        i++;
        while (i < n
            && (Character.isLetterOrDigit(src.charAt(i))
                || src.charAt(i) == '_'
                || src.charAt(i) == '-')) {
          i++;
        }
        if (i < n && src.charAt(i) == '?') {
          i++;
        }
        add(Kind.IDENT, src.substring(start, i), start);
      } else if (Numbers.isDigit(c)
          || c == '-' && i + 1 < n && Numbers.isDigit(src.charAt(i + 1))) {
        i++;
        while (i < n && Numbers.isDigit(src.charAt(i))) {
          i++;
        }
        if (i + 1 < n && src.charAt(i) == '.' && Numbers.isDigit(src.charAt(i + 1))) {
          i++;
          while (i < n && Numbers.isDigit(src.charAt(i))) {
            i++;
          }
          add(Kind.FLOAT, src.substring(start, i), start);
        } else if (i < n && (Character.isLetter(src.charAt(i)) || src.charAt(i) == '_')) {
          // a name that starts with digits (assign 123abc)
          while (i < n
              && (Character.isLetterOrDigit(src.charAt(i))
                  || src.charAt(i) == '_'
                  || src.charAt(i) == '-')) {
            i++;
          }
          add(Kind.IDENT, src.substring(start, i), start);
        } else {
          add(Kind.INT, src.substring(start, i), start);
        }
      } else if (c == '\'' || c == '"') {
        int end = src.indexOf(c, i + 1);
        if (end < 0) {
          throw error("the string " + src.substring(i, Math.min(n, i + 20)) + " is not closed");
        }
        add(Kind.STRING, src.substring(i + 1, end), start);
        i = end + 1;
      } else if (c == '.') {
        if (i + 1 < n && src.charAt(i + 1) == '.') {
          add(Kind.DOTDOT, "..", start);
          i += 2;
        } else {
          add(Kind.DOT, ".", start);
          i++;
        }
      } else if (c == '[') {
        add(Kind.LBRACKET, "[", start);
        i++;
      } else if (c == ']') {
        add(Kind.RBRACKET, "]", start);
        i++;
      } else if (c == '(') {
        add(Kind.LPAREN, "(", start);
        i++;
      } else if (c == ')') {
        add(Kind.RPAREN, ")", start);
        i++;
      } else if (c == '|') {
        add(Kind.PIPE, "|", start);
        i++;
      } else if (c == ':') {
        add(Kind.COLON, ":", start);
        i++;
      } else if (c == ',') {
        add(Kind.COMMA, ",", start);
        i++;
      } else if (c == '=' && i + 1 < n && src.charAt(i + 1) == '=') {
        add(Kind.COMPARE, "==", start);
        i += 2;
      } else if (c == '!' && i + 1 < n && src.charAt(i + 1) == '=') {
        add(Kind.COMPARE, "!=", start);
        i += 2;
      } else if (c == '<' && i + 1 < n && src.charAt(i + 1) == '>') {
        add(Kind.COMPARE, "<>", start);
        i += 2;
      } else if (c == '=') {
        add(Kind.EQUALS, "=", start);
        i++;
      } else if ((c == '<' || c == '>') && i + 1 < n && src.charAt(i + 1) == '=') {
        add(Kind.COMPARE, c + "=", start);
        i += 2;
      } else if (c == '<' || c == '>') {
        add(Kind.COMPARE, String.valueOf(c), start);
        i++;
      } else {
        throw error("unexpected character '" + c + "' in \"" + src.strip() + "\"");
      }
    }
    add(Kind.END, "", n);
  }

  private void add(Kind kind, String text, int start) {
    kinds.add(kind);
    texts.add(text);
    starts.add(start);
  }

  Kind peek() {
    return kinds.get(pos);
  }

  Kind peek(int ahead) {
    return kinds.get(Math.min(pos + ahead, kinds.size() - 1));
  }

  String text() {
    return texts.get(pos);
  }

  int offset() {
    return starts.get(pos);
  }

  String source() {
    return src;
  }

  boolean atEnd() {
    return peek() == Kind.END;
  }

  boolean isWord(String word) {
    return peek() == Kind.IDENT && text().equals(word);
  }

  String next() {
    String t = texts.get(pos);
    if (pos < kinds.size() - 1) {
      pos++;
    }
    return t;
  }

  String expect(Kind kind, String what) {
    if (peek() != kind) {
      throw error("expected " + what + " but found " + found() + " in \"" + src.strip() + "\"");
    }
    return next();
  }

  boolean accept(Kind kind) {
    if (peek() == kind) {
      next();
      return true;
    }
    return false;
  }

  String found() {
    return atEnd() ? "the end" : "'" + text() + "'";
  }

  void expectEnd() {
    if (!atEnd()) {
      throw error("unexpected " + found() + " in \"" + src.strip() + "\"");
    }
  }

  /** A name for assign, capture, increment, for: letters, digits, _ and -, not ending in ?. */
  String name(String what, boolean allowQuestion) {
    if (peek() == Kind.IDENT || peek() == Kind.INT) {
      String n = text();
      if (n.endsWith("?") && !allowQuestion) {
        throw error("'" + n + "' is not a valid " + what + " name");
      }
      next();
      return n;
    }
    throw error(
        "expected a " + what + " name but found " + found() + " in \"" + src.strip() + "\"");
  }

  /** An expression and its filters. */
  Expr filtered() {
    Expr input = primary();
    List<Expr.FilterCall> calls = new ArrayList<>();
    while (accept(Kind.PIPE)) {
      calls.add(filterCall());
    }
    return calls.isEmpty()
        ? input
        : new Expr.Filtered(input, calls.toArray(Expr.FilterCall[]::new));
  }

  private Expr.FilterCall filterCall() {
    String name = expect(Kind.IDENT, "a filter name");
    Filters.Def def = Filters.get(name);
    if (def == null) {
      throw error("unknown filter '" + name + "'");
    }
    List<Expr> args = new ArrayList<>();
    List<String> keywords = new ArrayList<>();
    List<Expr> keywordValues = new ArrayList<>();
    if (accept(Kind.COLON)) {
      // Ruby's strict parser takes a trailing ':' or ',' ({{ "a" | upcase: }}, {{ x | append: "b",
      // }})
      while (!atEnd() && peek() != Kind.PIPE) {
        if (peek() == Kind.IDENT && peek(1) == Kind.COLON) {
          keywords.add(next());
          next();
          keywordValues.add(primary());
        } else {
          args.add(primary());
        }
        if (!accept(Kind.COMMA)) {
          break;
        }
      }
    }
    if (args.size() < def.min() || args.size() > def.max()) {
      String expected =
          def.min() == def.max() ? String.valueOf(def.min()) : def.min() + " to " + def.max();
      throw error(
          "the filter '"
              + name
              + "' takes "
              + expected
              + " argument"
              + (def.max() == 1 ? "" : "s")
              + ", not "
              + args.size());
    }
    return new Expr.FilterCall(
        def,
        args.toArray(Expr[]::new),
        keywords.toArray(String[]::new),
        keywordValues.toArray(Expr[]::new));
  }

  /** A literal, a range or a variable path. */
  Expr primary() {
    if (++depth > RenderContext.MAX_DEPTH) {
      throw error("the expression is nested more than " + RenderContext.MAX_DEPTH + " deep");
    }
    try {
      switch (peek()) {
        case STRING:
          return new Expr.Literal(next());
        case INT:
          {
            String digits = next();
            try {
              return new Expr.Literal(Numbers.integer(digits));
            } catch (LiquidError e) {
              throw error(e.getMessage());
            }
          }
        case FLOAT:
          return new Expr.Literal(Double.parseDouble(next()));
        case LPAREN:
          {
            next();
            Expr from = primary();
            expect(Kind.DOTDOT, "'..'");
            Expr to = primary();
            expect(Kind.RPAREN, "')'");
            return new Expr.RangeExpr(from, to);
          }
        case IDENT:
          {
            switch (text()) {
              case "nil":
              case "null":
                next();
                return new Expr.Literal(null);
              case "true":
                next();
                return new Expr.Literal(Boolean.TRUE);
              case "false":
                next();
                return new Expr.Literal(Boolean.FALSE);
              case "empty":
                next();
                return new Expr.Literal(Special.EMPTY);
              case "blank":
                next();
                return new Expr.Literal(Special.BLANK);
              case "contains":
                throw error("'contains' is an operator, not a value, in \"" + src.strip() + "\"");
              default:
                if (Numbers.isDigit(text().charAt(0)) || text().charAt(0) == '-') {
                  throw error(
                      "'" + text() + "' is not a value: a variable name cannot start with a digit");
                }
                return path(next(), null);
            }
          }
        case LBRACKET:
          {
            next();
            Expr root = primary();
            expect(Kind.RBRACKET, "']'");
            return path(null, root);
          }
        default:
          throw error("expected a value but found " + found() + " in \"" + src.strip() + "\"");
      }
    } finally {
      depth--;
    }
  }

  private Expr path(String root, Expr rootExpr) {
    List<Object> keys = new ArrayList<>();
    List<Boolean> bracketed = new ArrayList<>();
    while (true) {
      if (accept(Kind.DOT)) {
        if (peek() != Kind.IDENT) {
          throw error(
              "expected a name after '.' but found " + found() + " in \"" + src.strip() + "\"");
        }
        keys.add(next());
        bracketed.add(false);
      } else if (accept(Kind.LBRACKET)) {
        Expr key = primary();
        expect(Kind.RBRACKET, "']'");
        keys.add(
            key instanceof Expr.Literal l
                    && (l.value() instanceof String || l.value() instanceof Long)
                ? l.value()
                : key);
        bracketed.add(true);
      } else {
        break;
      }
    }
    // self.x is x: self stands for the template's scope
    if ("self".equals(root) && !keys.isEmpty() && keys.get(0) instanceof String first) {
      root = first;
      keys.remove(0);
      bracketed.remove(0);
    }
    boolean[] flags = new boolean[bracketed.size()];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = bracketed.get(i);
    }
    return new Expr.Path(root, rootExpr, keys.toArray(), flags);
  }

  /** {@code a == b and c contains d or e}: comparisons joined by and/or, right-associative. */
  Expr condition() {
    Expr left = comparison();
    if (isWord("and") || isWord("or")) {
      boolean and = next().equals("and");
      if (++depth > RenderContext.MAX_DEPTH) {
        throw error("the condition has more than " + RenderContext.MAX_DEPTH + " parts");
      }
      Expr right = condition();
      depth--;
      return new Expr.Logic(left, and, right);
    }
    return left;
  }

  private Expr comparison() {
    Expr left = primary();
    if (peek() == Kind.COMPARE) {
      String op = next();
      return new Expr.Comparison(left, op, primary());
    }
    if (isWord("contains")) {
      next();
      return new Expr.Comparison(left, "contains", primary());
    }
    return left;
  }
}
