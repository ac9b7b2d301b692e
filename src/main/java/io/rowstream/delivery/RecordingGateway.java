package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A gateway that records every PutRecords and ListShards call made through it, as it completed
 * (what it carried, the answer or the error, when and how long), into a {@link CallLog}: the run
 * record and {@code rowstream debug} read them from there. The producer sends through one, so it
 * never builds an {@link ApiCall} itself.
 *
 * <p>After {@link #stopRecording()} calls still go through but are no longer recorded: a cancelled
 * run has committed its calls by then.
 */
final class RecordingGateway implements Destination {
  static final String PUT_RECORDS = "PutRecords";
  static final String LIST_SHARDS = "ListShards";

  private final Destination inner;
  private final CallLog calls;

  // guarded by this: recordings in progress, and whether more are welcome
  private int recording;
  private boolean stopped;

  RecordingGateway(Destination inner, CallLog calls) {
    this.inner = requireNonNull(inner, "inner is null");
    this.calls = requireNonNull(calls, "calls is null");
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records) {
    return putRecords(stream, records, CallContext.NONE);
  }

  /**
   * Sends the records and records the call. A failure that is not a {@link RowstreamException} is
   * recorded and thrown as a fatal one: nothing is known of what was stored.
   */
  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records, CallContext context) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    ApiCall.Payload payload =
        new ApiCall.Payload(records.size(), bytes(records), context.keys(), sent(records, context));
    PutResult result;
    try {
      result = inner.putRecords(stream, records, context);
    } catch (RowstreamException e) {
      record(ApiCall.failed(PUT_RECORDS, started, since(start), context.attempt(), payload, e));
      throw e;
    } catch (RuntimeException e) {
      RowstreamException failure = RowstreamException.fatal("sending failed: " + e, e);
      record(
          ApiCall.failed(PUT_RECORDS, started, since(start), context.attempt(), payload, failure));
      throw failure;
    }
    record(
        ApiCall.answered(
            PUT_RECORDS,
            started,
            since(start),
            context.attempt(),
            payload,
            result.httpStatus(),
            result.requestId(),
            result.entries()));
    return result;
  }

  /** Lists one page and records the call; failures other than the destination's are not calls. */
  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    ShardPage page;
    try {
      page = inner.listShards(stream, nextToken);
    } catch (RowstreamException e) {
      record(ApiCall.failed(LIST_SHARDS, started, since(start), 1, ApiCall.Payload.NONE, e));
      throw e;
    }
    record(
        ApiCall.answered(
            LIST_SHARDS,
            started,
            since(start),
            1,
            ApiCall.Payload.NONE,
            page.httpStatus(),
            page.requestId(),
            List.of()));
    return page;
  }

  /** Records no more calls, once the recordings in progress are written; safe from any thread. */
  void stopRecording() {
    synchronized (this) {
      stopped = true;
      while (recording > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Closes the destination underneath. */
  @Override
  public void close() {
    inner.close();
  }

  private void record(ApiCall call) {
    synchronized (this) {
      if (stopped) {
        return;
      }
      recording++;
    }
    try {
      calls.record(call);
    } finally {
      synchronized (this) {
        recording--;
        notifyAll();
      }
    }
  }

  /** The records with their events, for the debugger; none when the context gives no events. */
  private static List<ApiCall.Sent> sent(List<OutboundRecord> records, CallContext context) {
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

  /** Data plus partition key bytes, as counted against the request limit. */
  private static long bytes(List<OutboundRecord> records) {
    long bytes = 0;
    for (OutboundRecord r : records) {
      bytes += r.size();
    }
    return bytes;
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
