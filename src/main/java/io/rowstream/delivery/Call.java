package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One gateway call on its way to Kinesis, as a decorator sees it: the operation, the stream it is
 * about, and for PutRecords the records with their {@link CallContext}.
 *
 * @param stream the stream the call is about; empty for ListStreams and GetRecords (an iterator
 *     names its shard)
 * @param records the records sent; empty for every call but PutRecords
 */
public record Call(
    String operation, Optional<String> stream, List<OutboundRecord> records, CallContext context) {
  public static final String PUT_RECORDS = "PutRecords";
  public static final String LIST_SHARDS = "ListShards";
  public static final String LIST_STREAMS = "ListStreams";
  public static final String DESCRIBE_STREAM_SUMMARY = "DescribeStreamSummary";
  public static final String CREATE_STREAM = "CreateStream";
  public static final String GET_SHARD_ITERATOR = "GetShardIterator";
  public static final String GET_RECORDS = "GetRecords";

  public Call {
    requireNonNull(operation, "operation is null");
    requireNonNull(stream, "stream is null");
    requireNonNull(records, "records is null");
    requireNonNull(context, "context is null");
  }

  static Call putRecords(String stream, List<OutboundRecord> records, CallContext context) {
    return new Call(PUT_RECORDS, Optional.of(stream), records, context);
  }

  /** A call without records, about {@code stream} (null when about none). */
  static Call of(String operation, String stream) {
    return new Call(operation, Optional.ofNullable(stream), List.of(), CallContext.NONE);
  }

  /** 1 for the first try of these records, 2 for the first retry, ... */
  public int attempt() {
    return context.attempt();
  }

  /**
   * What the call record keeps of what was sent: the records' count, bytes and keys, and the
   * records with their events when the context gives them. Built on demand: a decorator that
   * records nothing pays nothing.
   */
  public ApiCall.Payload payload() {
    if (records.isEmpty()) {
      return ApiCall.Payload.NONE;
    }
    long bytes = 0;
    for (OutboundRecord r : records) {
      bytes += r.size();
    }
    return new ApiCall.Payload(records.size(), bytes, context.keys(), sent());
  }

  /** The records with their events, for the debugger; none when the context gives no events. */
  private List<ApiCall.Sent> sent() {
    List<String> events = context.events();
    if (events.isEmpty()) {
      return List.of();
    }
    List<ApiCall.Sent> sent = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      sent.add(new ApiCall.Sent(events.get(i), records.get(i)));
    }
    return sent;
  }
}
