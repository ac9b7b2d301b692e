package io.rowstream.template;

import io.rowstream.template.Tokenizer.Kind;
import io.rowstream.template.Tokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the node tree from tokens: every tag is checked here, so a template that compiles has no
 * unknown tag, unclosed block, unknown filter or wrong filter argument count.
 */
final class Parser {
  private final List<Token> tokens;
  private final TemplateOptions options;
  private final int depth;
  private int pos;

  private Parser(List<Token> tokens, TemplateOptions options, int depth) {
    this.tokens = tokens;
    this.options = options;
    this.depth = depth;
  }

  static Node[] parse(String source, TemplateOptions options) {
    Parser p = new Parser(Tokenizer.tokenize(source), options, 0);
    Body body = p.body(Set.of(), null);
    return body.nodes;
  }

  /** A parsed body and the tag that ended it (null at the end of the template). */
  private record Body(Node[] nodes, boolean blank, Token end) {}

  private static TemplateSyntaxException error(Token t, String reason) {
    return new TemplateSyntaxException(reason, t.line, t.column);
  }

  private Body body(Set<String> ends, Token opener) {
    List<Node> nodes = new ArrayList<>();
    while (pos < tokens.size()) {
      Token t = tokens.get(pos++);
      switch (t.kind) {
        case TEXT:
          if (!t.text.isEmpty()) {
            nodes.add(new Node.Text(t.text, false, t.line, t.column));
          }
          break;
        case OUTPUT:
          nodes.add(output(t, new ExprParser(t.text, t.line, t.column)));
          break;
        default:
          if (ends.contains(t.name)) {
            return new Body(nodes.toArray(Node[]::new), Node.allBlank(nodes), t);
          }
          Node node = tag(t, opener);
          if (node != null) {
            nodes.add(node);
          }
      }
    }
    if (opener != null) {
      throw error(opener, "'" + opener.name + "' is not closed");
    }
    return new Body(nodes.toArray(Node[]::new), Node.allBlank(nodes), null);
  }

  private Node output(Token t, ExprParser p) {
    if (p.atEnd()) {
      return new Node.Output(new Expr.Literal(null), Node.Output.PLAIN, t.line, t.column);
    }
    Expr expr = p.filtered();
    p.expectEnd();
    int mode =
        options.escape() == TemplateOptions.Escape.JSON_STRING
            ? Node.Output.ESCAPE
            : Node.Output.PLAIN;
    if (expr instanceof Expr.Filtered f) {
      String last = f.calls()[f.calls().length - 1].def.name();
      if (last.equals("json") || last.equals("raw")) {
        Expr.FilterCall[] rest = java.util.Arrays.copyOf(f.calls(), f.calls().length - 1);
        expr = rest.length == 0 ? f.input() : new Expr.Filtered(f.input(), rest);
        mode = last.equals("json") ? Node.Output.RAW_JSON : Node.Output.PLAIN;
      }
    }
    return new Node.Output(expr, mode, t.line, t.column);
  }

  private Body nested(Set<String> ends, Token opener) {
    if (depth + 1 > RenderContext.MAX_DEPTH) {
      throw error(opener, "blocks are nested more than " + RenderContext.MAX_DEPTH + " deep");
    }
    Parser inner = new Parser(tokens, options, depth + 1);
    inner.pos = pos;
    Body body = inner.body(ends, opener);
    pos = inner.pos;
    return body;
  }

  private static Node[] strip(Node[] nodes, boolean blank) {
    if (!blank) {
      return nodes;
    }
    List<Node> kept = new ArrayList<>();
    for (Node n : nodes) {
      if (!(n instanceof Node.Text)) {
        kept.add(n);
      }
    }
    return kept.toArray(Node[]::new);
  }

  private Node tag(Token t, Token opener) {
    switch (t.name) {
      case "comment":
        skipComment(t);
        return null;
      case "#":
        inlineComment(t);
        return null;
      case "raw":
      case "doc":
        return rawOrDoc(t);
      case "liquid":
        return liquid(t);
      case "include":
      case "render":
        throw error(
            t, "templates cannot include files: {% " + t.name + " " + t.text.strip() + " %}");
      case "break":
      case "continue":
        return new Node.Interrupt(
            t.name.equals("break") ? Node.BREAK : Node.CONTINUE, t.line, t.column);
      default:
        break;
    }
    if (!TagNames.KNOWN.contains(t.name)) {
      throw error(
          t,
          t.name.isEmpty()
              ? "a tag needs a name: {%" + t.text + "%}"
              : "unknown tag '" + t.name + "'");
    }
    ExprParser p = new ExprParser(t.text, t.line, t.column);
    switch (t.name) {
      case "assign":
        {
          String name = p.name("variable", false);
          p.expect(ExprParser.Kind.EQUALS, "'='");
          Expr value = p.filtered();
          p.expectEnd();
          return new Node.Assign(name, value, t.line, t.column);
        }
      case "capture":
        {
          String name = p.peek() == ExprParser.Kind.STRING ? p.next() : p.name("variable", false);
          p.expectEnd();
          Body body = nested(Set.of("endcapture"), t);
          return new Node.Capture(name, body.nodes, t.line, t.column);
        }
      case "echo":
        return output(t, p);
      case "if":
      case "unless":
        return conditional(t, p);
      case "case":
        return caseTag(t, p);
      case "for":
      case "tablerow":
        return loop(t, p);
      case "cycle":
        return cycle(t, p);
      case "increment":
      case "decrement":
        {
          String name = p.name("counter", true);
          p.expectEnd();
          return new Node.Counter(name, t.name.equals("increment") ? 1 : -1, t.line, t.column);
        }
      case "ifchanged":
        {
          p.expectEnd();
          Body body = nested(Set.of("endifchanged"), t);
          return new Node.IfChanged(body.nodes, t.line, t.column);
        }
      default:
        throw error(
            t,
            "unexpected '"
                + t.name
                + "'"
                + (opener == null
                    ? ""
                    : "; the open block is '"
                        + opener.name
                        + "' at line "
                        + opener.line
                        + ", column "
                        + opener.column));
    }
  }

  private Node conditional(Token t, ExprParser p) {
    boolean unless = t.name.equals("unless");
    String end = unless ? "endunless" : "endif";
    List<Expr> conditions = new ArrayList<>();
    List<Node[]> bodies = new ArrayList<>();
    Expr first = p.condition();
    p.expectEnd();
    conditions.add(unless ? new Node.Not(first) : first);
    boolean blank = true;
    while (true) {
      Body body = nested(Set.of("elsif", "else", end), t);
      bodies.add(body.nodes);
      blank &= body.blank;
      Token next = body.end;
      if (next.name.equals(end)) {
        break;
      }
      if (next.name.equals("elsif")) {
        ExprParser q = new ExprParser(next.text, next.line, next.column);
        conditions.add(q.condition());
        q.expectEnd();
      } else {
        conditions.add(new Expr.Literal(Boolean.TRUE));
      }
    }
    Node[][] all = bodies.toArray(Node[][]::new);
    for (int i = 0; i < all.length; i++) {
      all[i] = strip(all[i], blank);
    }
    return new Node.If(conditions.toArray(Expr[]::new), all, blank, t.line, t.column);
  }

  private Node caseTag(Token t, ExprParser p) {
    Expr subject = p.primary();
    p.expectEnd();
    Body leading = nested(Set.of("when", "else", "endcase"), t);
    List<Expr> values = new ArrayList<>();
    List<Node[]> bodies = new ArrayList<>();
    boolean blank = true;
    Token next = leading.end;
    while (!next.name.equals("endcase")) {
      List<Expr> whens = new ArrayList<>();
      if (next.name.equals("when")) {
        ExprParser q = new ExprParser(next.text, next.line, next.column);
        if (q.atEnd()) {
          throw error(next, "'when' needs a value");
        }
        whens.add(q.primary());
        while (q.accept(ExprParser.Kind.COMMA) || q.isWord("or")) {
          if (q.isWord("or")) {
            q.next();
          }
          whens.add(q.primary());
        }
        // Ruby reads a when's values up to the first that is not followed by ',' or 'or', and
        // ignores the rest ({% when 'a' and 'b' %} is 'a'), in strict mode too

      } else {
        whens.add(null);
      }
      Body body = nested(Set.of("when", "else", "endcase"), t);
      blank &= body.blank;
      for (Expr w : whens) {
        values.add(w);
        bodies.add(body.nodes);
      }
      next = body.end;
    }
    Node[][] all = bodies.toArray(Node[][]::new);
    for (int i = 0; i < all.length; i++) {
      all[i] = strip(all[i], blank);
    }
    return new Node.Case(subject, values.toArray(Expr[]::new), all, blank, t.line, t.column);
  }

  private Node loop(Token t, ExprParser p) {
    LoopHeader h = LoopHeader.parse(t, p);
    String end = h.tablerow() ? "endtablerow" : "endfor";
    Body body = nested(h.tablerow() ? Set.of(end) : Set.of("else", end), t);
    Body elseBody = null;
    if (body.end.name.equals("else")) {
      elseBody = nested(Set.of(end), t);
    }
    boolean blank = body.blank && (elseBody == null || elseBody.blank);
    return new Loop(
        h.tablerow(),
        h.variable(),
        h.variable() + "-" + h.collectionText(),
        h.collection(),
        h.offset(),
        h.offsetContinue(),
        h.limit(),
        h.cols(),
        h.reversed(),
        strip(body.nodes, blank),
        elseBody == null ? null : strip(elseBody.nodes, blank),
        blank,
        t.line,
        t.column);
  }

  private Node cycle(Token t, ExprParser p) {
    Expr first = p.primary();
    Expr group = null;
    List<Expr> values = new ArrayList<>();
    if (p.accept(ExprParser.Kind.COLON)) {
      group = first;
      values.add(p.primary());
    } else {
      values.add(first);
    }
    while (p.accept(ExprParser.Kind.COMMA)) {
      values.add(p.primary());
    }
    p.expectEnd();
    return new Node.Cycle(group, t.text.strip(), values.toArray(Expr[]::new), t.line, t.column);
  }

  private void skipComment(Token opener) {
    int nesting = 1;
    while (pos < tokens.size()) {
      Token t = tokens.get(pos++);
      if (t.kind != Kind.TAG) {
        continue;
      }
      if (t.name.equals("comment")) {
        nesting++;
      } else if (t.name.equals("endcomment") && --nesting == 0) {
        return;
      }
    }
    throw error(opener, "'comment' is not closed");
  }

  private static void inlineComment(Token t) {
    String[] lines = t.text.split("\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        throw error(t, "every line of an inline comment must start with '#': \"" + line + "\"");
      }
    }
  }

  private Node rawOrDoc(Token t) {
    if (!t.text.isBlank()) {
      throw error(t, "'" + t.name + "' takes no arguments, found \"" + t.text.strip() + "\"");
    }
    if (pos + 1 >= tokens.size()
        || tokens.get(pos).kind != Kind.TEXT
        || tokens.get(pos + 1).kind != Kind.TAG
        || !tokens.get(pos + 1).name.equals("end" + t.name)) {
      throw error(t, "'" + t.name + "' is not closed");
    }
    Token text = tokens.get(pos);
    pos += 2;
    if (t.name.equals("doc") || text.text.isEmpty()) {
      return null;
    }
    return new Node.Text(text.text, true, text.line, text.column);
  }

  /** {@code {% liquid %}}: one tag per line, parsed on its own (it cannot close outer blocks). */
  private Node liquid(Token t) {
    if (depth + 1 > RenderContext.MAX_DEPTH) {
      throw error(t, "blocks are nested more than " + RenderContext.MAX_DEPTH + " deep");
    }
    Parser inner = new Parser(LiquidTag.lines(t), options, depth + 1);
    Body body = inner.body(Set.of(), null);
    return new LiquidTag(body.nodes, body.blank, t.line, t.column);
  }
}
