package io.rowstream.core;

import java.util.Locale;
import java.util.Optional;

/** One row's change since the last delivered state. */
public enum EventType {
  ADDED,
  CHANGED,
  REMOVED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<EventType> parse(String text) {
    for (EventType t : values()) {
      if (t.label().equals(text)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
