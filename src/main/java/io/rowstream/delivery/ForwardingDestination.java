package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A gateway that passes every call to another one, each through {@link #call}: the one place a
 * decorator sees all Kinesis API calls, whatever the operation. Decorators extend it and override
 * {@link #call} (to record or measure every call) or one operation (to look into its answer); the
 * calls they leave alone still go through, the PutRecords {@link CallContext} included.
 */
public abstract class ForwardingDestination implements Destination {
  private final Destination inner;

  protected ForwardingDestination(Destination inner) {
    this.inner = requireNonNull(inner, "inner is null");
  }

  /**
   * Every call passes here once on its way to the destination underneath; {@code next} makes it.
   * Returns the answer, or throws what the destination threw.
   */
  protected <A extends Answer> A call(Call call, Supplier<A> next) {
    return next.get();
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records) {
    return putRecords(stream, records, CallContext.NONE);
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records, CallContext context) {
    return call(
        Call.putRecords(stream, records, context),
        () -> inner.putRecords(stream, records, context));
  }

  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    return call(Call.of(Call.LIST_SHARDS, stream), () -> inner.listShards(stream, nextToken));
  }

  @Override
  public StreamPage listStreams(Optional<String> after) {
    return call(Call.of(Call.LIST_STREAMS, null), () -> inner.listStreams(after));
  }

  @Override
  public StreamSummary describeStream(String stream) {
    return call(Call.of(Call.DESCRIBE_STREAM_SUMMARY, stream), () -> inner.describeStream(stream));
  }

  @Override
  public Answered createStream(String stream, int shards) {
    return call(Call.of(Call.CREATE_STREAM, stream), () -> inner.createStream(stream, shards));
  }

  @Override
  public ShardIterator oldestIterator(String stream, String shardId) {
    return call(
        Call.of(Call.GET_SHARD_ITERATOR, stream), () -> inner.oldestIterator(stream, shardId));
  }

  @Override
  public RecordsPage getRecords(String iterator, int limit) {
    return call(Call.of(Call.GET_RECORDS, null), () -> inner.getRecords(iterator, limit));
  }

  /** Closes the destination underneath. */
  @Override
  public void close() {
    inner.close();
  }
}
