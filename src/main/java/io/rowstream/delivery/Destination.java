package io.rowstream.delivery;

import java.util.List;

/**
 * Where records go. The core knows only this; the Kinesis implementation and its SDK live in
 * {@code io.rowstream.kinesis}.
 *
 * <p>Lifecycle: {@link #putRecords} any number of times, from several threads at once; then
 * {@link #close()}. A call either returns one {@link EntryResult} per record, in the order
 * sent (in a {@link PutResult}), or throws {@link io.rowstream.core.RowstreamException}: {@code RETRYABLE} when the
 * whole request may be sent again (throttled, 5xx, timeout, connection lost), {@code FATAL} when
 * no retry can help (stream not found, access denied, bad credentials).
 */
public interface Destination extends AutoCloseable {
  /** Kinesis' limits for one PutRecords request. */
  int MAX_BATCH_RECORDS = 500;

  long MAX_BATCH_BYTES = 5L * 1024 * 1024;

  PutResult putRecords(String stream, List<OutboundRecord> records);

  @Override
  void close();
}
