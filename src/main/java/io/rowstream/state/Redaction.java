package io.rowstream.state;

import io.rowstream.core.Redactor;
import java.util.Collection;

/** Scrubs text before it is stored, by {@link Redactor}: the one place that knows how. */
public final class Redaction {
  /** The redactor of the last secrets seen: a run passes the same list for each of its calls. */
  private static volatile Cached last = new Cached(null, Redactor.SHAPES_ONLY);

  private record Cached(Collection<String> secrets, Redactor redactor) {}

  private Redaction() {}

  public static String scrub(String text, Collection<String> secrets) {
    Cached cached = last;
    if (cached.secrets() != secrets) {
      cached = new Cached(secrets, Redactor.of(secrets));
      last = cached;
    }
    return cached.redactor().scrub(text);
  }
}
