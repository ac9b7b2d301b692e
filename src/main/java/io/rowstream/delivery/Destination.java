package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.util.List;
import java.util.Optional;

/**
 * The thin gateway over Kinesis: every Kinesis API call Rowstream makes goes through one of these
 * methods, those of a sync's run (PutRecords, ListShards) and those of the commands around it
 * ({@code streams}, {@code read}, {@code check}). The core knows only this; the Kinesis
 * implementation and its SDK live in {@code io.rowstream.kinesis}, and no SDK type crosses this
 * interface. Decorators extend {@link ForwardingDestination} and see every call in one place:
 * {@link RecordingGateway} records them for the run record, {@code serve} measures them.
 *
 * <p>Lifecycle: any method any number of times, from several threads at once; then {@link
 * #close()}. A call either returns its answer (with the HTTP status and request id, see {@link
 * Answer}) or throws a {@link RowstreamException} (preferably a {@link DestinationException}, which
 * carries the error code, HTTP status and request id): {@code RETRYABLE} when the whole request may
 * be sent again (throttled, 5xx, timeout, connection lost), {@code FATAL} when no retry can help
 * (stream not found, access denied, KMS key unusable, bad credentials). A PutRecords answer holds
 * one {@link EntryResult} per record, in the order sent.
 *
 * <p>Only {@link #putRecords} is required of a destination; the other calls throw a fatal {@link
 * DestinationException} unless implemented. Without ListShards the producer adapts to throttling
 * stream-wide instead of pacing each shard.
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
   * empty. {@link ShardListing} follows the pages.
   */
  default ShardPage listShards(String stream, Optional<String> nextToken) {
    throw unsupported(Call.LIST_SHARDS);
  }

  /**
   * One page of the account's streams in the region, those after {@code after} (the last name of
   * the previous page), or from the first when it is empty.
   */
  default StreamPage listStreams(Optional<String> after) {
    throw unsupported(Call.LIST_STREAMS);
  }

  /** DescribeStreamSummary: the stream's status, ARN, open shards and encryption. */
  default StreamSummary describeStream(String stream) {
    throw unsupported(Call.DESCRIBE_STREAM_SUMMARY);
  }

  /** CreateStream, provisioned with this many shards; it is ACTIVE some time later. */
  default Answered createStream(String stream, int shards) {
    throw unsupported(Call.CREATE_STREAM);
  }

  /** GetShardIterator at the shard's oldest record (TRIM_HORIZON). */
  default ShardIterator oldestIterator(String stream, String shardId) {
    throw unsupported(Call.GET_SHARD_ITERATOR);
  }

  /** GetRecords: at most {@code limit} records from {@code iterator} on. */
  default RecordsPage getRecords(String iterator, int limit) {
    throw unsupported(Call.GET_RECORDS);
  }

  @Override
  void close();

  private static DestinationException unsupported(String operation) {
    return new DestinationException(
        RowstreamException.Kind.FATAL,
        "this destination cannot call " + operation,
        null,
        "UnsupportedOperation",
        0,
        Optional.empty());
  }
}
