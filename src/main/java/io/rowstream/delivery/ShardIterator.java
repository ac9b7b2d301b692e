package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The answer to GetShardIterator: where to start a shard's GetRecords calls. */
public record ShardIterator(String iterator, int httpStatus, Optional<String> requestId)
    implements Answer {
  public ShardIterator {
    requireNonNull(iterator, "iterator is null");
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
