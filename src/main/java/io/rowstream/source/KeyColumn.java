package io.rowstream.source;

import java.util.List;

/** Finds the column a sync's {@code primary_key} names among a query's columns. */
public final class KeyColumn {
  /** What {@link #indexIn} returns when several columns match the key, each only ignoring case. */
  public static final int AMBIGUOUS = -2;

  private KeyColumn() {}

  /**
   * The index of the column named exactly {@code key}, or else of the one column that matches it
   * ignoring case; -1 when none does, {@link #AMBIGUOUS} when several do.
   */
  public static int indexIn(List<String> names, String key) {
    int exact = names.indexOf(key);
    if (exact >= 0) {
      return exact;
    }
    int found = -1;
    for (int c = 0; c < names.size(); c++) {
      if (names.get(c).equalsIgnoreCase(key)) {
        if (found >= 0) {
          return AMBIGUOUS;
        }
        found = c;
      }
    }
    return found;
  }
}
