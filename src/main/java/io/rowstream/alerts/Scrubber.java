package io.rowstream.alerts;

import io.rowstream.core.Redactor;
import java.util.List;

/** Scrubs every secret of the config from a text, by the one {@link Redactor}. */
final class Scrubber {
  private final Redactor redactor;

  Scrubber(List<String> secrets) {
    this.redactor = Redactor.of(secrets);
  }

  String scrub(String text) {
    return redactor.scrub(text);
  }
}
