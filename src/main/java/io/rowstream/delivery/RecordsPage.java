package io.rowstream.delivery;

import java.util.List;
import java.util.Optional;

/**
 * One GetRecords answer.
 *
 * @param nextIterator where the next call reads on; empty once a closed shard is read to its end
 * @param millisBehindLatest how far the last record is behind the shard's tip; 0 at the tip, empty
 *     when the answer did not say
 */
public record RecordsPage(
    List<StoredRecord> records,
    Optional<String> nextIterator,
    Optional<Long> millisBehindLatest,
    int httpStatus,
    Optional<String> requestId)
    implements Answer {
  public RecordsPage {
    records = List.copyOf(records);
    nextIterator = nextIterator == null ? Optional.empty() : nextIterator;
    millisBehindLatest = millisBehindLatest == null ? Optional.empty() : millisBehindLatest;
    requestId = requestId == null ? Optional.empty() : requestId;
  }

  /** Nothing returned and nothing behind: the shard has been read up to its tip. */
  public boolean caughtUp() {
    return records.isEmpty() && millisBehindLatest.orElse(0L) == 0;
  }
}
