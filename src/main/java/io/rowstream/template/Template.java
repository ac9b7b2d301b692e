package io.rowstream.template;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * A compiled Liquid template: compile once, render many times, from any number of threads at once.
 * A compiled template is immutable; each render keeps its state on its own.
 *
 * <p>Values a template can read: {@code Map<String, ?>}, {@code List<?>}, {@code String}, {@code
 * Number} (Integer, Long, BigInteger, BigDecimal, Double), {@code Boolean}, {@code null}, and
 * Jackson {@code JsonNode} trees (objects, arrays, text, numbers, booleans, null), so a row parsed
 * from JSON renders without conversion.
 *
 * <p>Templates cannot read files ({@code include} and {@code render} of a file are errors) and are
 * bounded by {@link TemplateOptions}: loop iterations, output size and render time.
 *
 * <p>Semantics are Ruby Liquid 5's (strict parsing): unknown tags, unclosed blocks, unknown filters
 * and wrong filter argument counts are compile errors. Integers stay integers, {@code divided_by}
 * of integers is integer division, and a BigDecimal from the data keeps exact decimal arithmetic
 * and prints as given ({@code 12.50} stays {@code 12.50}). With {@link
 * TemplateOptions.Escape#JSON_STRING} every output is escaped for the inside of a JSON string,
 * except an output whose last filter is {@code json} (a JSON value: quoted string, number, boolean,
 * null, object, array) or {@code raw} (the text as it is).
 *
 * <pre>{@code
 * Template t = Template.compile("{\"name\": \"{{ row.name }}\", \"tags\": {{ row.tags | json }}}",
 *     TemplateOptions.json());
 * String data = t.render(Map.of("row", rowJsonNode, "op", "added"));
 * }</pre>
 */
public final class Template {
  private final Node[] nodes;
  private final TemplateOptions options;
  private final Set<VariableRead> variablesRead;

  private Template(Node[] nodes, TemplateOptions options) {
    this.nodes = nodes;
    this.options = options;
    this.variablesRead = Reads.of(nodes);
  }

  /**
   * Parses {@code source}.
   *
   * @throws TemplateSyntaxException when it does not parse, with the line and column
   */
  public static Template compile(String source, TemplateOptions options) {
    requireNonNull(source, "source is null");
    requireNonNull(options, "options is null");
    try {
      return new Template(Parser.parse(source, options), options);
    } catch (StackOverflowError e) {
      throw new TemplateSyntaxException("the template is nested too deep", 1, 1);
    }
  }

  /**
   * The variables this template reads, from its syntax tree, through {@code assign} and loop
   * aliases (see {@link VariableRead}). A read inside a branch that never runs still counts.
   */
  public Set<VariableRead> variablesRead() {
    return variablesRead;
  }

  /**
   * The keys read directly under the top-level variable {@code name}: {@code {{ row.email }}} and
   * {@code {% assign r = row %}{{ r["full name"] }}} give {@code email} and {@code full name} for
   * {@code "row"}. Reading the variable whole ({@code {{ row | json }}}) adds no key.
   */
  public Set<String> keysRead(String name) {
    Set<String> keys = new java.util.LinkedHashSet<>();
    for (VariableRead r : variablesRead) {
      if (r.name().equals(name) && !r.path().isEmpty()) {
        keys.add(r.path().get(0));
      }
    }
    return keys;
  }

  /** The options this template was compiled with. */
  public TemplateOptions options() {
    return options;
  }

  /**
   * Renders with {@code variables} as the top-level names.
   *
   * @throws TemplateRenderException when rendering fails or a bound is exceeded
   */
  public String render(Map<String, ?> variables) {
    StringBuilder out = new StringBuilder(256);
    renderTo(variables, out);
    return out.toString();
  }

  /**
   * Renders with {@code variables} as the top-level names, appending to {@code out} (reuse one
   * builder per thread, cleared, to save allocations). On an exception, {@code out} may hold a
   * partial render.
   *
   * @throws TemplateRenderException when rendering fails or a bound is exceeded
   */
  public void renderTo(Map<String, ?> variables, StringBuilder out) {
    requireNonNull(out, "out is null");
    RenderContext ctx = new RenderContext(variables, options);
    if (out.length() == 0) {
      Node.renderAll(nodes, ctx, out);
      return;
    }
    // the output bound counts this render's characters only
    StringBuilder own = new StringBuilder(256);
    Node.renderAll(nodes, ctx, own);
    out.append(own);
  }
}
