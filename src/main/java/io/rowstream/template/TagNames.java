package io.rowstream.template;

import java.util.Set;

/**
 * The tag names the parser accepts. Anything else is an error at compile time, never text passed
 * through: a typo in a tag must not reach a stream as literal markup.
 */
final class TagNames {
  private TagNames() {}

  static final Set<String> KNOWN =
      Set.of(
          "assign",
          "capture",
          "endcapture",
          "case",
          "when",
          "endcase",
          "comment",
          "endcomment",
          "cycle",
          "decrement",
          "increment",
          "echo",
          "for",
          "endfor",
          "else",
          "break",
          "continue",
          "if",
          "elsif",
          "endif",
          "unless",
          "endunless",
          "ifchanged",
          "endifchanged",
          "liquid",
          "raw",
          "endraw",
          "doc",
          "enddoc",
          "tablerow",
          "endtablerow",
          "#",
          "include",
          "render");
}
