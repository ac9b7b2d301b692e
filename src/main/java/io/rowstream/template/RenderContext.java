package io.rowstream.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything one render changes: assigned variables, loop variables, counters, cycle positions, and
 * the bounds. One per render, used by one thread, so a compiled template stays immutable.
 */
final class RenderContext {
  /** How deep blocks, brackets and nested values may go. */
  static final int MAX_DEPTH = 100;

  private static final int CLOCK_EVERY = 1024;

  /** Units of work (items, characters compared) between two looks at the clock. */
  private static final long WORK_EVERY = 1 << 16;

  private final Map<String, ?> globals;
  private final TemplateOptions options;
  private final long deadline;
  private HashMap<String, Object> locals;
  private HashMap<String, Long> counters;
  private HashMap<Object, Integer> cycles;
  private HashMap<String, Long> forOffsets;
  private String lastChanged;
  private String[] frameNames = new String[8];
  private Object[] frameValues = new Object[8];
  private int frames;
  private long iterations;
  private LoopState currentLoop;
  private int capturing;
  private long work;

  RenderContext(Map<String, ?> globals, TemplateOptions options) {
    this.globals = globals == null ? Map.of() : globals;
    this.options = options;
    this.deadline = System.nanoTime() + options.maxRenderTime().toNanos();
  }

  long maxIterations() {
    return options.maxIterations();
  }

  int maxOutputChars() {
    return options.maxOutputChars();
  }

  Clock clock() {
    return options.clock();
  }

  /**
   * Whether outputs are escaped for a JSON string now: in JSON mode, except while capturing (a
   * captured value is escaped once, when it is written).
   */
  boolean escaping() {
    return capturing == 0 && options.escape() == TemplateOptions.Escape.JSON_STRING;
  }

  void capturing(int delta) {
    capturing += delta;
  }

  /** Writes text a tag produced (cycle, tablerow), escaped like an output. */
  void write(String text, StringBuilder out) {
    if (escaping()) {
      Json.escapeInto(text, out);
    } else {
      out.append(text);
    }
  }

  Object lookup(String name) {
    for (int i = frames - 1; i >= 0; i--) {
      if (frameNames[i].equals(name)) {
        return frameValues[i];
      }
    }
    if (locals != null) {
      Object v = locals.get(name);
      if (v != null || locals.containsKey(name)) {
        return v;
      }
    }
    if (counters != null) {
      Long v = counters.get(name);
      if (v != null) {
        return v;
      }
    }
    Object v = globals.get(name);
    return v instanceof JsonNode ? Values.unwrap(v) : v;
  }

  void assign(String name, Object value) {
    if (locals == null) {
      locals = new HashMap<>();
    }
    locals.put(name, value);
  }

  void push(String name, Object value) {
    if (frames == frameNames.length) {
      if (frames >= MAX_DEPTH * 2) {
        throw new LiquidError("loops are nested more than " + MAX_DEPTH + " deep");
      }
      frameNames = java.util.Arrays.copyOf(frameNames, frames * 2);
      frameValues = java.util.Arrays.copyOf(frameValues, frames * 2);
    }
    frameNames[frames] = name;
    frameValues[frames] = value;
    frames++;
  }

  /** Sets the loop variable pushed just below the loop object. */
  void setBelowTop(Object value) {
    frameValues[frames - 2] = value;
  }

  void pop() {
    frames--;
    frameNames[frames] = null;
    frameValues[frames] = null;
  }

  LoopState currentLoop() {
    return currentLoop;
  }

  void currentLoop(LoopState loop) {
    currentLoop = loop;
  }

  long increment(String name, int delta) {
    if (counters == null) {
      counters = new HashMap<>();
    }
    long value = counters.getOrDefault(name, 0L);
    counters.put(name, value + delta);
    return value;
  }

  int cycle(Object key) {
    if (cycles == null) {
      cycles = new HashMap<>();
    }
    return cycles.getOrDefault(key, 0);
  }

  void cycle(Object key, int next) {
    cycles.put(key, next);
  }

  long forOffset(String name) {
    return forOffsets == null ? 0 : forOffsets.getOrDefault(name, 0L);
  }

  void forOffset(String name, long offset) {
    if (forOffsets == null) {
      forOffsets = new HashMap<>();
    }
    forOffsets.put(name, offset);
  }

  /** True when {@code text} differs from what the last ifchanged rendered. */
  boolean changed(String text) {
    if (text.equals(lastChanged)) {
      return false;
    }
    lastChanged = text;
    return true;
  }

  /** Counts one loop iteration against the bound; looks at the clock every so often. */
  void iteration() {
    long n = ++iterations;
    if (n > options.maxIterations()) {
      throw new LiquidError(
          "the template ran more than " + options.maxIterations() + " loop iterations (the limit)");
    }
    if ((n & (CLOCK_EVERY - 1)) == 0) {
      checkTime();
    }
  }

  /**
   * Counts work done inside one filter or tag (items walked, characters compared) and looks at the
   * clock every so often, so a slow operation stops within about the render time bound.
   */
  void work(long units) {
    work += units;
    if (work >= WORK_EVERY) {
      work = 0;
      checkTime();
    }
  }

  void checkTime() {
    if (System.nanoTime() - deadline > 0) {
      throw new LiquidError(
          "the template took longer than "
              + options.maxRenderTime().toMillis()
              + " ms to render (the limit)");
    }
  }

  /** Checks what was written so far against the output bound. */
  void checkOutput(StringBuilder out) {
    if (out.length() > options.maxOutputChars()) {
      throw new LiquidError(
          "the template wrote more than " + options.maxOutputChars() + " characters (the limit)");
    }
  }

  /** Checks a value a filter built (a string's length, a list's size) against the output bound. */
  void checkSize(long size) {
    if (size > options.maxOutputChars()) {
      throw new LiquidError(
          "a value grew past "
              + options.maxOutputChars()
              + " characters or items (the output limit)");
    }
  }
}
