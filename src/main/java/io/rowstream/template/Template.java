package io.rowstream.template;

import java.util.Map;

/**
 * A compiled Liquid template: compile once, render many times, from any number of threads at
 * once. A compiled template is immutable; each render keeps its state on its own.
 *
 * <p>Values a template can read: {@code Map<String, ?>}, {@code List<?>}, {@code String},
 * {@code Number} (Integer, Long, BigInteger, BigDecimal, Double), {@code Boolean}, {@code null},
 * and Jackson {@code JsonNode} trees (objects, arrays, text, numbers, booleans, null), so a row
 * parsed from JSON renders without conversion.
 *
 * <p>Templates cannot read files ({@code include} and {@code render} of a file are errors) and
 * are bounded by {@link TemplateOptions}: loop iterations, output size and render time.
 */
public final class Template {
  // SKELETON: implemented by the template engine work (issue 3).
  private Template() {}

  /**
   * Parses {@code source}.
   *
   * @throws TemplateSyntaxException when it does not parse, with the line and column
   */
  public static Template compile(String source, TemplateOptions options) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Renders with {@code variables} as the top-level names.
   *
   * @throws TemplateRenderException when rendering fails or a bound is exceeded
   */
  public String render(Map<String, ?> variables) {
    throw new UnsupportedOperationException("not yet");
  }
}
