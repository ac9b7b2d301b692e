package io.rowstream.template;

import java.util.Map;

/** A compiled expression: literals, variable paths, ranges, filter chains and conditions. */
interface Expr {
  Object eval(RenderContext ctx);

  /** Reports the variables this expression reads. */
  default void collect(Reads reads) {}

  /** A literal value. */
  record Literal(Object value) implements Expr {
    @Override
    public Object eval(RenderContext ctx) {
      return value;
    }
  }

  /**
   * A variable path: a root name (or a bracketed root expression) and its keys, pre-split at
   * compile time. A key is a String or Long constant, or an Expr evaluated per render.
   */
  final class Path implements Expr {
    private final String root;
    private final Expr rootExpr;
    private final Object[] keys;

    /** Per key: read as {@code [key]}, where the commands size, first and last do not apply. */
    private final boolean[] bracketed;

    Path(String root, Expr rootExpr, Object[] keys, boolean[] bracketed) {
      this.root = root;
      this.rootExpr = rootExpr;
      this.keys = keys;
      this.bracketed = bracketed;
    }

    /** The root name; null for a bracketed root expression. */
    String root() {
      return root;
    }

    /** The leading keys that are constant names. */
    java.util.List<String> constantKeys() {
      java.util.List<String> out = new java.util.ArrayList<>();
      for (Object key : keys) {
        if (!(key instanceof String k)) {
          break;
        }
        out.add(k);
      }
      return out;
    }

    @Override
    public void collect(Reads reads) {
      if (root != null) {
        reads.read(root, constantKeys());
      } else {
        rootExpr.collect(reads);
      }
      for (Object key : keys) {
        if (key instanceof Expr e) {
          e.collect(reads);
        }
      }
    }

    @Override
    public Object eval(RenderContext ctx) {
      Object v;
      if (root != null) {
        v = ctx.lookup(root);
      } else {
        Object name = rootExpr.eval(ctx);
        v = name instanceof String s ? ctx.lookup(s) : null;
      }
      for (int i = 0; i < keys.length; i++) {
        if (v == null) {
          return null;
        }
        Object key = keys[i];
        Object k = key instanceof Expr e ? e.eval(ctx) : key;
        v = Properties.property(v, k, !bracketed[i]);
      }
      return v;
    }
  }

  /** {@code (from..to)}: Ruby's to_i of both ends. */
  record RangeExpr(Expr from, Expr to) implements Expr {
    @Override
    public void collect(Reads reads) {
      from.collect(reads);
      to.collect(reads);
    }

    @Override
    public Object eval(RenderContext ctx) {
      return new LiquidRange(Numbers.toLong(from.eval(ctx)), Numbers.toLong(to.eval(ctx)));
    }
  }

  /** An input and its filters, resolved at compile time. */
  record Filtered(Expr input, FilterCall[] calls) implements Expr {
    @Override
    public void collect(Reads reads) {
      input.collect(reads);
      for (FilterCall call : calls) {
        call.collect(reads);
      }
    }

    @Override
    public Object eval(RenderContext ctx) {
      Object v = input.eval(ctx);
      for (FilterCall call : calls) {
        v = call.apply(v, ctx);
      }
      return v;
    }
  }

  /** One filter application; constant arguments are evaluated once, at compile time. */
  final class FilterCall {
    final Filters.Def def;
    private final Expr[] args;
    private final Object[] constantArgs;
    private final String[] keywords;
    private final Expr[] keywordValues;

    FilterCall(Filters.Def def, Expr[] args, String[] keywords, Expr[] keywordValues) {
      this.def = def;
      this.args = args;
      this.keywords = keywords;
      this.keywordValues = keywordValues;
      boolean constant = true;
      for (Expr a : args) {
        constant &= a instanceof Literal;
      }
      if (constant) {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
          values[i] = ((Literal) args[i]).value();
        }
        this.constantArgs = values;
      } else {
        this.constantArgs = null;
      }
    }

    void collect(Reads reads) {
      for (Expr a : args) {
        a.collect(reads);
      }
      for (Expr v : keywordValues) {
        v.collect(reads);
      }
    }

    Object apply(Object input, RenderContext ctx) {
      Object[] values = constantArgs;
      if (values == null) {
        values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
          values[i] = args[i].eval(ctx);
        }
      }
      Map<String, Object> kw = Map.of();
      if (keywords.length > 0) {
        kw = new java.util.HashMap<>();
        for (int i = 0; i < keywords.length; i++) {
          kw.put(keywords[i], keywordValues[i].eval(ctx));
        }
      }
      Object out;
      try {
        out = def.impl().apply(input, values, kw, ctx);
      } catch (LiquidError e) {
        throw e;
      } catch (RuntimeException e) {
        throw new LiquidError(def.name() + ": " + e.getMessage());
      }
      if (out instanceof String s) {
        ctx.checkSize(s.length());
      } else if (out instanceof java.util.List<?> l) {
        ctx.checkSize(l.size());
      }
      return out;
    }
  }

  /** {@code left op right} in a condition. */
  record Comparison(Expr left, String op, Expr right) implements Expr {
    @Override
    public void collect(Reads reads) {
      left.collect(reads);
      right.collect(reads);
    }

    @Override
    public Object eval(RenderContext ctx) {
      Object a = left.eval(ctx);
      Object b = right.eval(ctx);
      switch (op) {
        case "==":
          return Comparisons.equal(a, b);
        case "!=":
        case "<>":
          return !Comparisons.equal(a, b);
        case "contains":
          return Comparisons.contains(a, b, ctx);
        default:
          break;
      }
      if (a instanceof Special || b instanceof Special) {
        return false;
      }
      Integer order = Comparisons.order(a, b);
      if (order == null) {
        return false;
      }
      switch (op) {
        case "<":
          return order < 0;
        case ">":
          return order > 0;
        case "<=":
          return order <= 0;
        default:
          return order >= 0;
      }
    }
  }

  /** {@code left and right}, {@code left or right}: right-associative, as in Ruby Liquid. */
  record Logic(Expr left, boolean and, Expr right) implements Expr {
    @Override
    public void collect(Reads reads) {
      left.collect(reads);
      right.collect(reads);
    }

    @Override
    public Object eval(RenderContext ctx) {
      boolean l = Values.truthy(left.eval(ctx));
      if (and) {
        return l && Values.truthy(right.eval(ctx));
      }
      return l || Values.truthy(right.eval(ctx));
    }
  }
}
