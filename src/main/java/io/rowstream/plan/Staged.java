package io.rowstream.plan;

import java.util.List;

/** What staging the model read: rows, rows without a key, and the query's columns. */
public record Staged(long rows, long nullKeys, List<String> columns) {
  public Staged {
    columns = List.copyOf(columns);
  }
}
