package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One API call as it was made, for the run record and {@code rowstream debug}. Holds no secrets.
 *
 * @param operation e.g. {@code PutRecords}, {@code ListShards}
 * @param attempt 1 for the first try of these records, 2 for the first retry, ...
 * @param httpStatus the HTTP status, or 0 when no response came (timeout, connection lost)
 * @param requestId the AWS request id, when the response had one
 * @param records how many records the call carried (0 for calls without records)
 * @param bytes data plus partition key bytes of those records
 * @param keys the primary key of the row of each record, in the order sent
 * @param entries per record, in the order sent: shard and sequence number, or error code and
 *     message; empty when the whole call failed
 * @param error the error of the whole call (code: message), when it failed as a whole
 * @param sent per record, in the order sent: its event and the record itself, for the debugger;
 *     empty when the caller did not give them (calls without records, or callers that keep none)
 */
public record ApiCall(
    String operation,
    Instant startedAt,
    Duration duration,
    int attempt,
    int httpStatus,
    Optional<String> requestId,
    int records,
    long bytes,
    List<String> keys,
    List<EntryResult> entries,
    Optional<String> error,
    List<Sent> sent) {

  public ApiCall {
    requireNonNull(operation, "operation is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(duration, "duration is null");
    requireNonNull(requestId, "requestId is null");
    keys = List.copyOf(keys);
    entries = List.copyOf(entries);
    requireNonNull(error, "error is null");
    sent = List.copyOf(sent);
    if (!sent.isEmpty() && sent.size() != keys.size()) {
      throw new IllegalArgumentException(
          "a call's sent records go with its keys: " + sent.size() + " for " + keys.size());
    }
  }

  /** A call without the records themselves. */
  public ApiCall(
      String operation,
      Instant startedAt,
      Duration duration,
      int attempt,
      int httpStatus,
      Optional<String> requestId,
      int records,
      long bytes,
      List<String> keys,
      List<EntryResult> entries,
      Optional<String> error) {
    this(
        operation,
        startedAt,
        duration,
        attempt,
        httpStatus,
        requestId,
        records,
        bytes,
        keys,
        entries,
        error,
        List.of());
  }

  /**
   * One record as sent, for the debugger.
   *
   * @param event the event the record stands for ({@code added}, {@code changed}, {@code removed}),
   *     or null when not known
   */
  public record Sent(String event, OutboundRecord record) {
    public Sent {
      requireNonNull(record, "record is null");
    }
  }

  /**
   * What a call carried: the records' count, bytes and primary keys, in the order sent, and the
   * records themselves with their events (or none).
   */
  public record Payload(int records, long bytes, List<String> keys, List<Sent> sent) {
    /** A call without records, such as ListShards. */
    public static final Payload NONE = new Payload(0, 0, List.of());

    public Payload {
      keys = List.copyOf(keys);
      sent = List.copyOf(sent);
    }

    public Payload(int records, long bytes, List<String> keys) {
      this(records, bytes, keys, List.of());
    }
  }

  /** A call that got an answer: one entry per record sent, or none for calls without records. */
  public static ApiCall answered(
      String operation,
      Instant startedAt,
      Duration duration,
      int attempt,
      Payload payload,
      int httpStatus,
      Optional<String> requestId,
      List<EntryResult> entries) {
    return new ApiCall(
        operation,
        startedAt,
        duration,
        attempt,
        httpStatus,
        requestId,
        payload.records(),
        payload.bytes(),
        payload.keys(),
        entries,
        Optional.empty(),
        payload.sent());
  }

  /**
   * A call that failed as a whole; the status and request id come from a {@link
   * DestinationException}.
   */
  public static ApiCall failed(
      String operation,
      Instant startedAt,
      Duration duration,
      int attempt,
      Payload payload,
      RowstreamException failure) {
    DestinationException d = failure instanceof DestinationException x ? x : null;
    return new ApiCall(
        operation,
        startedAt,
        duration,
        attempt,
        d == null ? 0 : d.httpStatus(),
        d == null ? Optional.empty() : d.requestId(),
        payload.records(),
        payload.bytes(),
        payload.keys(),
        List.of(),
        Optional.of(failure.getMessage()),
        payload.sent());
  }
}
