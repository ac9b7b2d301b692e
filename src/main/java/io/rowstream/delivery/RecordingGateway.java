package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * A gateway that records every call made through it, whatever the operation, as it completed (what
 * it carried, the answer or the error, when and how long), into a {@link CallLog}: the run record
 * and {@code rowstream debug} read them from there. The producer sends through one, so it never
 * builds an {@link ApiCall} itself.
 *
 * <p>A PutRecords failure that is not a {@link RowstreamException} is recorded and thrown as a
 * fatal one: nothing is known of what was stored. Such failures of other calls are not the
 * destination's answer and pass unrecorded.
 *
 * <p>After {@link #stopRecording()} calls still go through but are no longer recorded: a cancelled
 * run has committed its calls by then.
 */
final class RecordingGateway extends ForwardingDestination {
  static final String PUT_RECORDS = Call.PUT_RECORDS;
  static final String LIST_SHARDS = Call.LIST_SHARDS;

  private final CallLog calls;

  // guarded by this: recordings in progress, and whether more are welcome
  private int recording;
  private boolean stopped;

  RecordingGateway(Destination inner, CallLog calls) {
    super(inner);
    this.calls = requireNonNull(calls, "calls is null");
  }

  @Override
  protected <A extends Answer> A call(Call call, Supplier<A> next) {
    Instant started = Instant.now();
    long start = System.nanoTime();
    A answer;
    try {
      answer = next.get();
    } catch (RowstreamException e) {
      record(
          ApiCall.failed(
              call.operation(), started, since(start), call.attempt(), call.payload(), e));
      throw e;
    } catch (RuntimeException e) {
      if (!call.operation().equals(PUT_RECORDS)) {
        throw e;
      }
      RowstreamException failure = RowstreamException.fatal("sending failed: " + e, e);
      record(
          ApiCall.failed(
              call.operation(), started, since(start), call.attempt(), call.payload(), failure));
      throw failure;
    }
    record(
        ApiCall.answered(
            call.operation(),
            started,
            since(start),
            call.attempt(),
            call.payload(),
            answer.httpStatus(),
            answer.requestId(),
            answer instanceof PutResult put ? put.entries() : List.of()));
    return answer;
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

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
