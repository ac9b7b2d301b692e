package io.rowstream.template;

import java.time.Duration;

/**
 * How a template renders: how outputs are escaped, and its bounds.
 *
 * @param escape {@link Escape#JSON_STRING} escapes every {@code {{ }}} output for a JSON string
 *     (message templates); the {@code json} filter writes a JSON value and {@code raw} writes text
 *     as it is. {@link Escape#NONE} writes text as it is (keys, plain Liquid).
 * @param maxIterations loop iterations allowed in one render, over all loops
 * @param maxOutputChars characters one render may write
 * @param maxRenderTime time one render may take
 */
public record TemplateOptions(Escape escape, long maxIterations, int maxOutputChars, Duration maxRenderTime) {
  public static final long DEFAULT_MAX_ITERATIONS = 100_000;
  public static final int DEFAULT_MAX_OUTPUT_CHARS = 4 * 1024 * 1024;
  public static final Duration DEFAULT_MAX_RENDER_TIME = Duration.ofSeconds(2);

  /** How outputs are escaped. */
  public enum Escape {
    NONE,
    JSON_STRING
  }

  /** Plain Liquid: outputs as they are. */
  public static TemplateOptions text() {
    return new TemplateOptions(Escape.NONE, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_MAX_RENDER_TIME);
  }

  /** Message templates: every output escaped for a JSON string. */
  public static TemplateOptions json() {
    return new TemplateOptions(Escape.JSON_STRING, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_OUTPUT_CHARS,
        DEFAULT_MAX_RENDER_TIME);
  }
}
