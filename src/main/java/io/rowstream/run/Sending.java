package io.rowstream.run;

import io.rowstream.core.Redactor;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.Producer;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.history.CallRecorder;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunHistory;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.state.Ack;
import io.rowstream.state.DeliveredState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The sending side of a run, started on another thread while the model is planned: the
 * destination's client (SDK classes, credentials) and its producer, which lists the stream's shards
 * as it starts. By the time the plan hands its first event over, the first PutRecords can go out at
 * once. Starting early hands the producer nothing: records are submitted only once the plan has
 * decided its NULL and duplicated keys ({@code SyncRunner.deliver}).
 */
final class Sending {
  /** An opened destination and the producer sending to it. */
  record Started(Destination destination, Producer<PlannedEvent> producer) {}

  private final TailMerge tail;
  private final CompletableFuture<Started> starting;

  private Sending(TailMerge tail, CompletableFuture<Started> starting) {
    this.tail = tail;
    this.starting = starting;
  }

  /**
   * Opens the destination and starts its producer on another thread. Acknowledged events are
   * recorded in {@code state} and counted in {@code tally}; rejected ones in {@code history}.
   */
  static Sending start(
      Supplier<Destination> open,
      String stream,
      ProducerSettings settings,
      DeliveredState state,
      RunHistory history,
      RunListener runListener,
      RunTally tally,
      String runId,
      Redactor redactor,
      CallRecorder calls) {
    TailMerge tail =
        new TailMerge(
            state, calls == null ? () -> {} : calls::indexSoFar, settings.maxUnconfirmedRecords());
    Producer.Listener<PlannedEvent> listener =
        new Producer.Listener<>() {
          @Override
          public void acknowledged(List<PlannedEvent> events, List<EntryResult> results) {
            List<Ack> acks = new ArrayList<>(events.size());
            for (PlannedEvent e : events) {
              acks.add(e.ack());
            }
            state.ack(acks);
            runListener.sent(events, results);
            for (PlannedEvent e : events) {
              tally.sent.get(e.type()).increment();
            }
            tail.settled(events.size());
          }

          @Override
          public void rejected(PlannedEvent event, String errorCode, String message) {
            List<RejectedRow> row =
                List.of(
                    new RejectedRow(
                        event.key(), event.type().label(), errorCode, redactor.scrub(message)));
            history.reject(runId, row);
            runListener.rejected(row);
            tally.reject(event.type(), errorCode, 1);
            tail.settled(1);
          }
        };
    CompletableFuture<Started> starting =
        CompletableFuture.supplyAsync(
            () -> {
              Destination destination = open.get();
              try {
                return new Started(
                    destination,
                    new Producer<>(
                        destination,
                        stream,
                        settings,
                        listener,
                        PlannedEvent::key,
                        e -> e.type().label(),
                        calls));
              } catch (RuntimeException | Error e) {
                destination.close();
                throw e;
              }
            },
            Sending::ownThread);
    return new Sending(tail, starting);
  }

  /**
   * Each start on a thread of its own, not the common pool: that pool has one thread fewer than the
   * cores, fewer than {@code serve}'s concurrent runs (up to twice the cores), and is shared with
   * the whole JVM; runs would queue behind each other's ListShards there.
   */
  private static void ownThread(Runnable start) {
    Thread t = new Thread(start, "rowstream-start-sending");
    t.setDaemon(true);
    t.start();
  }

  /** Overlaps the commit with the last requests: see {@link TailMerge}. */
  TailMerge tail() {
    return tail;
  }

  /** Waits for the destination and producer; their failure as it would have been thrown here. */
  Started started() {
    try {
      return starting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * Nothing will be sent (planning failed or was cancelled): waits for the start and closes both,
   * so no call of the producer is recorded after the run's calls are committed.
   */
  void abandon() {
    Started started;
    try {
      started = starting.join();
    } catch (CompletionException e) {
      return; // nothing was opened; the plan's failure is the one to report
    }
    started.producer().close();
    started.destination().close();
  }
}
