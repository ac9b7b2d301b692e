package io.rowstream.alerts;

import java.util.Comparator;
import java.util.List;

/** Replaces every secret value of the config in a text, longest first, with {@code ****}. */
final class Scrubber {
  private static final int MIN_LENGTH = 4;

  private final List<String> secrets;

  Scrubber(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= MIN_LENGTH).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  String scrub(String text) {
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "****");
    }
    return out;
  }
}
