package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code for} and {@code tablerow}: walks a segment of a collection (offset, limit, reversed),
 * counting every iteration against the render's bound. Ranges are walked without building a list.
 */
final class Loop extends Node {
  private final boolean tablerow;
  private final String variable;
  private final String name;
  private final Expr collection;
  private final Expr offset;
  private final boolean offsetContinue;
  private final Expr limit;
  private final Expr cols;
  private final boolean reversed;
  private final Node[] body;
  private final Node[] elseBody;
  private final boolean blank;

  Loop(
      boolean tablerow,
      String variable,
      String name,
      Expr collection,
      Expr offset,
      boolean offsetContinue,
      Expr limit,
      Expr cols,
      boolean reversed,
      Node[] body,
      Node[] elseBody,
      boolean blank,
      int line,
      int column) {
    super(line, column);
    this.tablerow = tablerow;
    this.variable = variable;
    this.name = name;
    this.collection = collection;
    this.offset = offset;
    this.offsetContinue = offsetContinue;
    this.limit = limit;
    this.cols = cols;
    this.reversed = reversed;
    this.body = body;
    this.elseBody = elseBody;
    this.blank = blank;
  }

  @Override
  boolean blank() {
    return blank;
  }

  @Override
  void collect(Reads reads) {
    reads.bind(variable, collection, true);
    collection.collect(reads);
    for (Expr e : new Expr[] {offset, limit, cols}) {
      if (e != null) {
        e.collect(reads);
      }
    }
    collectAll(body, reads);
    if (elseBody != null) {
      collectAll(elseBody, reads);
    }
  }

  @Override
  int render(RenderContext ctx, StringBuilder out) {
    Object source = collection.eval(ctx);
    long from;
    if (offsetContinue) {
      from = ctx.forOffset(name);
    } else {
      Object o = offset == null ? null : offset.eval(ctx);
      from = o == null ? 0 : Numbers.toIntegerStrict(o, "the loop offset");
    }
    Object l = limit == null ? null : limit.eval(ctx);
    // Ruby: for ignores limit: nil; tablerow takes it as no items
    Long max = null;
    if (l != null) {
      max = Numbers.toIntegerStrict(l, "the loop limit");
    } else if (tablerow && limit != null) {
      max = 0L;
    }

    LiquidRange range = source instanceof LiquidRange r ? r : null;
    List<?> items = range == null ? Sequences.loopItems(source, ctx) : null;
    long total = range != null ? range.size() : items.size();
    long start = Math.max(from, 0);
    long end = total;
    if (max != null) {
      end = Math.min(end, Math.max(from + max, 0));
    }
    long length = Math.max(end - start, 0);
    if (!tablerow) {
      ctx.forOffset(name, from + length);
    }
    if (tablerow) {
      if (!(Values.isList(source) || Values.isMap(source) || source instanceof String)) {
        return NORMAL; // Ruby: tablerow over nil, false or a number writes nothing, not even a row
      }
      return table(ctx, out, range, items, start, length);
    }
    if (length == 0) {
      return elseBody == null ? NORMAL : renderAll(elseBody, ctx, out);
    }
    LoopState parent = ctx.currentLoop();
    LoopState state = new LoopState(name, parent, length, 0);
    ctx.push(variable, null);
    ctx.push("forloop", state);
    ctx.currentLoop(state);
    try {
      for (long i = 0; i < length; i++) {
        ctx.iteration();
        long at = reversed ? start + length - 1 - i : start + i;
        state.index0 = i;
        ctx.setBelowTop(item(range, items, at));
        int status = renderAll(body, ctx, out);
        if (status == BREAK) {
          break;
        }
      }
    } finally {
      ctx.currentLoop(parent);
      ctx.pop();
      ctx.pop();
    }
    return NORMAL;
  }

  private static Object item(LiquidRange range, List<?> items, long at) {
    if (range != null) {
      return range.from() + at;
    }
    Object v = items.get((int) at);
    return v instanceof JsonNode ? Values.unwrap(v) : v;
  }

  private int table(
      RenderContext ctx,
      StringBuilder out,
      LiquidRange range,
      List<?> items,
      long start,
      long length) {
    long columns = length;
    if (cols != null) {
      Object c = cols.eval(ctx);
      if (c != null) {
        columns = Numbers.toLong(c);
      }
    }
    if (columns <= 0) {
      columns = Math.max(length, 1);
    }
    LoopState state = new LoopState(name, null, length, columns);
    ctx.push(variable, null);
    ctx.push("tablerowloop", state);
    ctx.write("<tr class=\"row1\">\n", out);
    try {
      for (long i = 0; i < length; i++) {
        ctx.iteration();
        long at = reversed ? start + length - 1 - i : start + i;
        state.index0 = i;
        ctx.setBelowTop(item(range, items, at));
        ctx.write("<td class=\"col" + (i % columns + 1) + "\">", out);
        int status = renderAll(body, ctx, out);
        ctx.write("</td>", out);
        if (i % columns == columns - 1 && i != length - 1) {
          ctx.write("</tr>\n<tr class=\"row" + (i / columns + 2) + "\">", out);
        }
        ctx.checkOutput(out);
        if (status == BREAK) {
          break;
        }
      }
    } finally {
      ctx.pop();
      ctx.pop();
    }
    ctx.write("</tr>\n", out);
    return NORMAL;
  }
}
