package io.rowstream.template;

/** The literals {@code empty} and {@code blank}: they compare specially and print as nothing. */
enum Special {
  EMPTY,
  BLANK;

  @Override
  public String toString() {
    return "";
  }
}
