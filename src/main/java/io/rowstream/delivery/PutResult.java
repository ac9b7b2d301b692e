package io.rowstream.delivery;

import java.util.List;
import java.util.Optional;

/**
 * The answer to one PutRecords request: one entry per record sent, in the order sent, with the HTTP
 * status and the AWS request id for the call record.
 */
public record PutResult(List<EntryResult> entries, int httpStatus, Optional<String> requestId)
    implements Answer {
  public PutResult {
    entries = List.copyOf(entries);
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
