package io.rowstream.template;

import java.util.HashMap;
import java.util.Map;

/**
 * The standard Liquid filters (Ruby Liquid 5 semantics) plus {@code json} and {@code raw}. A filter
 * is looked up and its argument count checked once, at compile time. The filters themselves are
 * kept by family: {@link TextFilters}, {@link EncodingFilters}, {@link NumberFilters}, {@link
 * ListFilters}; the value filters (json, raw, size, default, date) are here.
 */
final class Filters {
  private Filters() {}

  /** How a filter runs: input, positional arguments, keyword arguments. */
  interface Impl {
    Object apply(Object input, Object[] args, Map<String, Object> keywords, RenderContext ctx);
  }

  /** A filter: its name, how many positional arguments it takes, and what it does. */
  record Def(String name, int min, int max, Impl impl) {}

  /** What a family of filters registers its filters with. */
  interface Registrar {
    void add(String name, int min, int max, Impl impl);

    /** A filter without arguments of the input's text alone. */
    default void text(String name, TextOp op) {
      add(name, 0, 0, (in, a, k, c) -> op.apply(Values.toText(in, c)));
    }
  }

  /** What a filter of the input's text alone does. */
  interface TextOp {
    Object apply(String s);
  }

  private static final Map<String, Def> FILTERS = new HashMap<>();

  static Def get(String name) {
    return FILTERS.get(name);
  }

  private static void add(String name, int min, int max, Impl impl) {
    FILTERS.put(name, new Def(name, min, max, impl));
  }

  /** The i-th positional argument, or null when the call gave fewer (an optional argument). */
  static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : null;
  }

  static {
    add(
        "json",
        0,
        0,
        (in, a, k, c) -> {
          StringBuilder out = new StringBuilder();
          Json.writeValue(in, out, c.maxOutputChars());
          return out.toString();
        });
    add("raw", 0, 0, (in, a, k, c) -> in);
    add("size", 0, 0, (in, a, k, c) -> Sequences.size(in));
    add(
        "default",
        0,
        1,
        (in, a, k, c) -> {
          boolean allowFalse = Values.truthy(k.get("allow_false"));
          boolean useDefault =
              in == null
                  || (Boolean.FALSE.equals(in) && !allowFalse)
                  || (!(in instanceof Special) && Sequences.isEmpty(in));
          return useDefault ? arg(a, 0) : in;
        });
    add("date", 1, 1, (in, a, k, c) -> Dates.filter(in, a[0], c));
    TextFilters.register(Filters::add);
    EncodingFilters.register(Filters::add);
    NumberFilters.register(Filters::add);
    ListFilters.register(Filters::add);
  }
}
