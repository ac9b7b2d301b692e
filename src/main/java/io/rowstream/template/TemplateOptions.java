package io.rowstream.template;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * How a template renders: how outputs are escaped, and its bounds.
 *
 * @param escape {@link Escape#JSON_STRING} escapes every {@code {{ }}} output for a JSON string
 *     (message templates); the {@code json} filter writes a JSON value and {@code raw} writes text
 *     as it is. {@link Escape#NONE} writes text as it is (keys, plain Liquid).
 * @param maxIterations loop iterations allowed in one render, over all loops (also the most items a
 *     range may be turned into)
 * @param maxOutputChars characters one render may write (also the longest string or list a filter
 *     may build, and the longest JSON or text a value is written as); numbers are bounded apart, at
 *     10,000 digits
 * @param maxRenderTime time one render may take, checked every 1,024 loop iterations and inside
 *     long operations of one filter (walking a long list, searching a long text)
 * @param clock what {@code date: "now"} and {@code "today"} read
 */
public record TemplateOptions(
    Escape escape, long maxIterations, int maxOutputChars, Duration maxRenderTime, Clock clock) {
  public static final long DEFAULT_MAX_ITERATIONS = 100_000;
  public static final int DEFAULT_MAX_OUTPUT_CHARS = 4 * 1024 * 1024;
  public static final Duration DEFAULT_MAX_RENDER_TIME = Duration.ofSeconds(2);

  /** How outputs are escaped. */
  public enum Escape {
    NONE,
    JSON_STRING
  }

  public TemplateOptions {
    requireNonNull(escape, "escape is null");
    requireNonNull(maxRenderTime, "maxRenderTime is null");
    requireNonNull(clock, "clock is null");
    if (maxIterations < 0) {
      throw new IllegalArgumentException(
          "maxIterations is " + maxIterations + "; expected 0 or more");
    }
    if (maxOutputChars < 0) {
      throw new IllegalArgumentException(
          "maxOutputChars is " + maxOutputChars + "; expected 0 or more");
    }
    if (maxRenderTime.isNegative()) {
      throw new IllegalArgumentException(
          "maxRenderTime is " + maxRenderTime + "; expected 0 or more");
    }
  }

  /** The options with the system clock in UTC. */
  public TemplateOptions(
      Escape escape, long maxIterations, int maxOutputChars, Duration maxRenderTime) {
    this(escape, maxIterations, maxOutputChars, maxRenderTime, Clock.systemUTC());
  }

  /** Plain Liquid: outputs as they are. */
  public static TemplateOptions text() {
    return new TemplateOptions(
        Escape.NONE, DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_MAX_RENDER_TIME);
  }

  /** Message templates: every output escaped for a JSON string. */
  public static TemplateOptions json() {
    return new TemplateOptions(
        Escape.JSON_STRING,
        DEFAULT_MAX_ITERATIONS,
        DEFAULT_MAX_OUTPUT_CHARS,
        DEFAULT_MAX_RENDER_TIME);
  }

  /** These options with another iteration bound. */
  public TemplateOptions withMaxIterations(long value) {
    return new TemplateOptions(escape, value, maxOutputChars, maxRenderTime, clock);
  }

  /** These options with another output bound. */
  public TemplateOptions withMaxOutputChars(int value) {
    return new TemplateOptions(escape, maxIterations, value, maxRenderTime, clock);
  }

  /** These options with another render time bound. */
  public TemplateOptions withMaxRenderTime(Duration value) {
    return new TemplateOptions(escape, maxIterations, maxOutputChars, value, clock);
  }

  /** These options with another clock for {@code date: "now"}. */
  public TemplateOptions withClock(Clock value) {
    return new TemplateOptions(escape, maxIterations, maxOutputChars, maxRenderTime, value);
  }
}
