package io.rowstream.template;

import io.rowstream.template.Tokenizer.Token;

/**
 * The markup of a {@code for} or {@code tablerow} tag, before its body: the variable, the
 * collection (and its text, which names the loop for {@code offset:continue}), and the limit,
 * offset, cols and reversed parameters. Read apart from the bodies, which need the parser's state.
 */
record LoopHeader(
    boolean tablerow,
    String variable,
    String collectionText,
    Expr collection,
    Expr offset,
    boolean offsetContinue,
    Expr limit,
    Expr cols,
    boolean reversed) {

  static LoopHeader parse(Token t, ExprParser p) {
    boolean tablerow = t.name.equals("tablerow");
    String variable = p.name("loop variable", true);
    if (!p.isWord("in")) {
      throw p.error(
          "expected 'in' after the loop variable but found "
              + p.found()
              + " in \""
              + t.text.strip()
              + "\"");
    }
    p.next();
    int start = p.offset();
    Expr collection = p.primary();
    String collectionText = p.source().substring(start, p.offset()).strip();
    Expr offset = null;
    Expr limit = null;
    Expr cols = null;
    boolean offsetContinue = false;
    boolean reversed = false;
    while (!p.atEnd()) {
      if (p.accept(ExprParser.Kind.COMMA)) {
        continue;
      }
      if (p.isWord("reversed")) {
        p.next();
        reversed = true;
        continue;
      }
      String param = p.peek() == ExprParser.Kind.IDENT ? p.text() : "";
      if (!(param.equals("limit")
          || param.equals("offset")
          || (tablerow && param.equals("cols")))) {
        throw p.error(
            "unexpected "
                + p.found()
                + " in \""
                + t.text.strip()
                + "\"; expected limit:, offset:"
                + (tablerow ? ", cols:" : " or reversed"));
      }
      p.next();
      p.expect(ExprParser.Kind.COLON, "':' after " + param);
      if (param.equals("offset") && p.isWord("continue")) {
        p.next();
        offsetContinue = true;
        offset = null;
      } else if (param.equals("offset")) {
        offset = p.primary(); // the last offset given wins, as in Ruby
        offsetContinue = false;
      } else if (param.equals("limit")) {
        limit = p.primary();
      } else {
        cols = p.primary();
      }
    }
    return new LoopHeader(
        tablerow,
        variable,
        collectionText,
        collection,
        offset,
        offsetContinue,
        limit,
        cols,
        reversed);
  }
}
