package io.rowstream.template;

import io.rowstream.template.Tokenizer.Kind;
import io.rowstream.template.Tokenizer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code {% liquid %}} tag: its lines as tag tokens (one tag per line, a line starting with # a
 * comment), and the node that renders the tags parsed from them in order.
 */
final class LiquidTag extends Node {
  private final Node[] nodes;
  private final boolean blank;

  LiquidTag(Node[] nodes, boolean blank, int line, int column) {
    super(line, column);
    this.nodes = nodes;
    this.blank = blank;
  }

  @Override
  int render(RenderContext ctx, StringBuilder out) {
    return renderAll(nodes, ctx, out);
  }

  @Override
  void collect(Reads reads) {
    collectAll(nodes, reads);
  }

  @Override
  boolean blank() {
    return blank;
  }

  /** The tag tokens of a liquid tag's markup, placed at their line in the template. */
  static List<Token> lines(Token t) {
    List<Token> lines = new ArrayList<>();
    String[] parts = t.text.split("\n", -1);
    for (int i = 0; i < parts.length; i++) {
      String line = parts[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String name;
      String markup;
      if (line.startsWith("#")) {
        name = "#";
        markup = line.substring(1);
      } else {
        int e = 0;
        while (e < line.length()
            && (Character.isLetterOrDigit(line.charAt(e)) || line.charAt(e) == '_')) {
          e++;
        }
        name = line.substring(0, e);
        markup = line.substring(e);
      }
      lines.add(new Token(Kind.TAG, markup, name, t.line + i, i == 0 ? t.column : 1, false, false));
    }
    return lines;
  }
}
