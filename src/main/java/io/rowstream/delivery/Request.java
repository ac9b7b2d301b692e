package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One PutRecords request of a batch: the records in order, and what the call record needs of them.
 *
 * @param records the records, in the batch's order
 * @param context the attempt (the most any record of the batch has been sent), keys and events
 */
record Request(List<OutboundRecord> records, CallContext context) {

  /**
   * The request for {@code batch}, counting it as sent at {@code start} (each record's attempts,
   * sends and last send); {@code eventOf} null keeps no events, so the call keeps no records.
   */
  static <T> Request of(
      List<Pending<T>> batch, Function<T, String> keyOf, Function<T, String> eventOf, long start) {
    int attempt = 0;
    List<OutboundRecord> records = new ArrayList<>(batch.size());
    List<String> keys = new ArrayList<>(batch.size());
    List<String> events = new ArrayList<>(eventOf == null ? 0 : batch.size());
    for (Pending<T> e : batch) {
      if (eventOf != null) {
        events.add(eventOf.apply(e.tag));
      }
      e.attempts++;
      e.sends++;
      e.lastSent = start;
      attempt = Math.max(attempt, e.sends);
      records.add(e.record);
      keys.add(keyOf.apply(e.tag));
    }
    return new Request(records, new CallContext(attempt, keys, events));
  }

  /** What the request got: Kinesis' answer, or the failure that stands in for one. */
  record Outcome(PutResult result, RowstreamException failure) {}

  /** Sends the request; the gateway records the call, answered or failed. */
  Outcome send(RecordingGateway gateway, String stream) {
    try {
      return new Outcome(gateway.putRecords(stream, records, context), null);
    } catch (RowstreamException e) {
      return new Outcome(null, e);
    } catch (RuntimeException e) {
      return new Outcome(null, RowstreamException.fatal("sending failed: " + e, e));
    }
  }
}
