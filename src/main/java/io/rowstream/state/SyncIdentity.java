package io.rowstream.state;

import static java.util.Objects.requireNonNull;

/** What the delivered state was recorded for: the stream the rows went to, and their key column. */
public record SyncIdentity(String stream, String primaryKey) {
  public SyncIdentity {
    requireNonNull(stream, "stream is null");
    requireNonNull(primaryKey, "primaryKey is null");
  }
}
