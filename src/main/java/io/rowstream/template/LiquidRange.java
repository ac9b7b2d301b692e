package io.rowstream.template;

/** A range {@code (from..to)}, kept lazy so {@code (1..999999999)} costs nothing until iterated. */
record LiquidRange(long from, long to) {
  long size() {
    return to < from ? 0 : to - from + 1;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
