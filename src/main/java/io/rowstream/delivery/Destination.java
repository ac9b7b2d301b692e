package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.util.List;
import java.util.Optional;

/**
 * Where records go: the thin gateway over Kinesis. The core knows only this; the Kinesis
 * implementation and its SDK live in {@code io.rowstream.kinesis}. Decorators add to it without the
 * producer knowing: {@link RecordingGateway} records every call for the run record, {@code serve}
 * measures them.
 *
 * <p>Lifecycle: {@link #listShards} and {@link #putRecords} any number of times, from several
 * threads at once; then {@link #close()}. A PutRecords call either returns one {@link EntryResult}
 * per record, in the order sent (in a {@link PutResult}), or throws a {@link RowstreamException}
 * (preferably a {@link DestinationException}, which carries the error code, HTTP status and request
 * id): {@code RETRYABLE} when the whole request may be sent again (throttled, 5xx, timeout,
 * connection lost), {@code FATAL} when no retry can help (stream not found, access denied, KMS key
 * unusable, bad credentials).
 */
public interface Destination extends AutoCloseable {
  /** Kinesis' limits for one PutRecords request. */
  int MAX_BATCH_RECORDS = 500;

  long MAX_BATCH_BYTES = 5L * 1024 * 1024;

  PutResult putRecords(String stream, List<OutboundRecord> records);

  /**
   * The same request, with what a recording decorator stores with the call: which attempt it is and
   * the rows the records stand for. A gateway that records nothing ignores it; a decorator passes
   * it on.
   */
  default PutResult putRecords(String stream, List<OutboundRecord> records, CallContext context) {
    return putRecords(stream, records);
  }

  /**
   * One page of the stream's shards, open and closed: the first page when {@code nextToken} is
   * empty. Optional: a destination that cannot list shards throws, and the producer then adapts to
   * throttling stream-wide instead of pacing each shard.
   */
  default ShardPage listShards(String stream, Optional<String> nextToken) {
    throw new DestinationException(
        RowstreamException.Kind.FATAL,
        "this destination cannot list shards",
        null,
        "UnsupportedOperation",
        0,
        Optional.empty());
  }

  @Override
  void close();
}
