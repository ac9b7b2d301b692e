package io.rowstream.delivery;

import java.util.List;
import java.util.Optional;

/**
 * One page of a ListShards answer, with the HTTP status and AWS request id for the call record.
 *
 * @param nextToken present when more shards follow; pass it to the next {@link
 *     Destination#listShards} call
 */
public record ShardPage(
    List<StreamShard> shards,
    Optional<String> nextToken,
    int httpStatus,
    Optional<String> requestId)
    implements Answer {
  public ShardPage {
    shards = List.copyOf(shards);
    nextToken = nextToken == null ? Optional.empty() : nextToken;
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
