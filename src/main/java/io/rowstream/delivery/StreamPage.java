package io.rowstream.delivery;

import java.util.List;
import java.util.Optional;

/**
 * One page of a ListStreams answer: stream names in order, and whether more follow (ask again from
 * the last name of this page).
 */
public record StreamPage(
    List<String> streams, boolean hasMore, int httpStatus, Optional<String> requestId)
    implements Answer {
  public StreamPage {
    streams = List.copyOf(streams);
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
