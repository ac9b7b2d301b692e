package io.rowstream.core;

import static java.util.Objects.requireNonNull;

/** A value read from config that must never be printed: toString() redacts it. */
public record Secret(String value) {
  public Secret {
    requireNonNull(value, "value is null");
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
