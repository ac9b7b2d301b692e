package io.rowstream.plan;

import static java.util.Objects.requireNonNull;

/** A primary key value held by more than one row of the model; none of its rows is sent. */
public record DuplicateKey(String key, long rows) {
  public DuplicateKey {
    requireNonNull(key, "key is null");
  }
}
