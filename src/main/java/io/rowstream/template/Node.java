package io.rowstream.template;

import java.util.List;

/**
 * A compiled piece of a template. Nodes are immutable; {@link #render} returns {@link #NORMAL}, or
 * {@link #BREAK} / {@link #CONTINUE} travelling up to the nearest loop.
 */
abstract class Node {
  static final int NORMAL = 0;
  static final int BREAK = 1;
  static final int CONTINUE = 2;

  final int line;
  final int column;

  Node(int line, int column) {
    this.line = line;
    this.column = column;
  }

  abstract int render(RenderContext ctx, StringBuilder out);

  /** Reports the variables this node and its children read (see {@link Reads}). */
  void collect(Reads reads) {}

  static void collectAll(Node[] nodes, Reads reads) {
    for (Node n : nodes) {
      n.collect(reads);
    }
  }

  /** Whether this node writes nothing but whitespace (Ruby Liquid's blank?). */
  boolean blank() {
    return false;
  }

  static int renderAll(Node[] nodes, RenderContext ctx, StringBuilder out) {
    for (Node node : nodes) {
      int status;
      try {
        status = node.render(ctx, out);
      } catch (LiquidError e) {
        throw new TemplateRenderException(
            "line " + node.line + ", column " + node.column + ": " + e.getMessage());
      } catch (StackOverflowError e) {
        throw new TemplateRenderException(
            "line "
                + node.line
                + ", column "
                + node.column
                + ": the template is nested too deep to render");
      }
      if (status != NORMAL) {
        return status;
      }
    }
    return NORMAL;
  }

  static boolean allBlank(List<Node> nodes) {
    for (Node n : nodes) {
      if (!n.blank()) {
        return false;
      }
    }
    return true;
  }

  /** Text between tags. */
  static final class Text extends Node {
    final String text;
    private final boolean blank;

    Text(String text, boolean raw, int line, int column) {
      super(line, column);
      this.text = text;
      this.blank = raw ? text.isEmpty() : text.isBlank();
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      out.append(text);
      ctx.checkOutput(out);
      return NORMAL;
    }

    @Override
    boolean blank() {
      return blank;
    }
  }

  /** {@code {{ expr | filters }}} and {@code {% echo %}}. */
  static final class Output extends Node {
    static final int PLAIN = 0;
    static final int ESCAPE = 1;
    static final int RAW_JSON = 2;

    private final Expr expr;
    private final int mode;

    Output(Expr expr, int mode, int line, int column) {
      super(line, column);
      this.expr = expr;
      this.mode = mode;
    }

    @Override
    void collect(Reads reads) {
      expr.collect(reads);
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      Object v = expr.eval(ctx);
      int mode = this.mode == ESCAPE && !ctx.escaping() ? PLAIN : this.mode;
      if (mode == RAW_JSON) {
        Json.writeValue(v, out, ctx.maxOutputChars());
      } else if (v instanceof String s) {
        if (mode == ESCAPE) {
          Json.escapeInto(s, out);
        } else {
          out.append(s);
        }
      } else if (v instanceof Number n) {
        NumberText.append(n, out);
      } else if (v != null) {
        if (mode == ESCAPE) {
          Json.escapeInto(Values.toText(v, ctx), out);
        } else {
          Values.appendText(v, out, ctx);
        }
      }
      ctx.checkOutput(out);
      return NORMAL;
    }
  }

  /** {@code {% assign name = expr | filters %}}. */
  static final class Assign extends Node {
    private final String name;
    private final Expr expr;

    Assign(String name, Expr expr, int line, int column) {
      super(line, column);
      this.name = name;
      this.expr = expr;
    }

    @Override
    void collect(Reads reads) {
      reads.bind(name, expr, false);
      expr.collect(reads);
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      ctx.assign(name, expr.eval(ctx));
      return NORMAL;
    }

    @Override
    boolean blank() {
      return true;
    }
  }

  /** {@code {% capture name %}...{% endcapture %}}. */
  static final class Capture extends Node {
    private final String name;
    private final Node[] body;

    Capture(String name, Node[] body, int line, int column) {
      super(line, column);
      this.name = name;
      this.body = body;
    }

    @Override
    void collect(Reads reads) {
      collectAll(body, reads);
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      StringBuilder captured = new StringBuilder();
      ctx.capturing(1);
      int status;
      try {
        status = renderAll(body, ctx, captured);
      } finally {
        ctx.capturing(-1);
      }
      ctx.assign(name, captured.toString());
      return status;
    }

    @Override
    boolean blank() {
      return true;
    }
  }

  /** if / elsif / else and unless: the first branch whose condition holds. */
  static final class If extends Node {
    private final Expr[] conditions;
    private final Node[][] bodies;
    private final boolean blank;

    If(Expr[] conditions, Node[][] bodies, boolean blank, int line, int column) {
      super(line, column);
      this.conditions = conditions;
      this.bodies = bodies;
      this.blank = blank;
    }

    @Override
    void collect(Reads reads) {
      for (Expr c : conditions) {
        c.collect(reads);
      }
      for (Node[] b : bodies) {
        collectAll(b, reads);
      }
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      for (int i = 0; i < conditions.length; i++) {
        if (Values.truthy(conditions[i].eval(ctx))) {
          return renderAll(bodies[i], ctx, out);
        }
      }
      return NORMAL;
    }

    @Override
    boolean blank() {
      return blank;
    }
  }

  /** The negation, for unless. */
  record Not(Expr expr) implements Expr {
    @Override
    public void collect(Reads reads) {
      expr.collect(reads);
    }

    @Override
    public Object eval(RenderContext ctx) {
      return !Values.truthy(expr.eval(ctx));
    }
  }

  /**
   * case / when / else, as Ruby Liquid runs it: every matching when renders; an else renders when
   * no when before it matched.
   */
  static final class Case extends Node {
    private final Expr subject;
    private final Expr[] values;
    private final Node[][] bodies;
    private final boolean blank;

    Case(Expr subject, Expr[] values, Node[][] bodies, boolean blank, int line, int column) {
      super(line, column);
      this.subject = subject;
      this.values = values;
      this.bodies = bodies;
      this.blank = blank;
    }

    @Override
    void collect(Reads reads) {
      subject.collect(reads);
      for (Expr v : values) {
        if (v != null) {
          v.collect(reads);
        }
      }
      for (Node[] b : bodies) {
        collectAll(b, reads);
      }
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      Object v = subject.eval(ctx);
      boolean runElse = true;
      for (int i = 0; i < values.length; i++) {
        int status = NORMAL;
        if (values[i] == null) {
          if (runElse) {
            status = renderAll(bodies[i], ctx, out);
          }
        } else if (Comparisons.equal(v, values[i].eval(ctx))) {
          runElse = false;
          status = renderAll(bodies[i], ctx, out);
        }
        if (status != NORMAL) {
          return status;
        }
      }
      return NORMAL;
    }

    @Override
    boolean blank() {
      return blank;
    }
  }

  /** {@code {% break %}} and {@code {% continue %}}. */
  static final class Interrupt extends Node {
    private final int status;

    Interrupt(int status, int line, int column) {
      super(line, column);
      this.status = status;
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      return status;
    }
  }

  /** {@code {% increment x %}} writes then adds one; decrement subtracts one then writes. */
  static final class Counter extends Node {
    private final String name;
    private final int delta;

    Counter(String name, int delta, int line, int column) {
      super(line, column);
      this.name = name;
      this.delta = delta;
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      long before = ctx.increment(name, delta);
      out.append(delta > 0 ? before : before + delta);
      return NORMAL;
    }
  }

  /** {@code {% cycle [group:] a, b, c %}}. */
  static final class Cycle extends Node {
    private final Expr group;
    private final String key;
    private final Expr[] values;

    Cycle(Expr group, String key, Expr[] values, int line, int column) {
      super(line, column);
      this.group = group;
      this.key = key;
      this.values = values;
    }

    @Override
    void collect(Reads reads) {
      if (group != null) {
        group.collect(reads);
      }
      for (Expr v : values) {
        v.collect(reads);
      }
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      Object k = group == null ? key : new GroupKey(group.eval(ctx));
      int at = ctx.cycle(k);
      Object v = at < values.length ? values[at].eval(ctx) : null;
      int next = at + 1;
      ctx.cycle(k, next >= values.length ? 0 : next);
      ctx.write(Values.toText(v, ctx), out);
      ctx.checkOutput(out);
      return NORMAL;
    }

    /** A named group, kept apart from unnamed cycles (keyed by their markup). */
    record GroupKey(Object name) {}
  }

  /** {@code {% ifchanged %}}: writes its body when it differs from the last one written. */
  static final class IfChanged extends Node {
    private final Node[] body;

    IfChanged(Node[] body, int line, int column) {
      super(line, column);
      this.body = body;
    }

    @Override
    void collect(Reads reads) {
      collectAll(body, reads);
    }

    @Override
    int render(RenderContext ctx, StringBuilder out) {
      StringBuilder text = new StringBuilder();
      int status = renderAll(body, ctx, text);
      if (ctx.changed(text.toString())) {
        out.append(text);
        ctx.checkOutput(out);
      }
      return status;
    }
  }
}
