package io.rowstream.run;

import io.rowstream.config.SyncConfig;
import io.rowstream.delivery.Producer;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunHistory;
import io.rowstream.message.MessageRenderer;
import io.rowstream.message.Rendered;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.state.Ack;
import io.rowstream.store.SyncStore;
import java.util.ArrayList;
import java.util.List;

/** The send step of a run: renders every planned event and hands it to the producer. */
final class EventDelivery {
  /** Rows handed to the state in one write when they need no record (skipped events). */
  static final int STATE_WRITE_BATCH = 1_000;

  private EventDelivery() {}

  /**
   * Renders and sends every planned event; returns false when the run was cancelled: then it stops
   * reading events, sends nothing more, and waits up to {@link SyncRunner#CANCEL_GRACE} for the
   * requests in flight, so what they stored is acknowledged and committed. {@code history} and
   * {@code sending} are null for a dry run.
   */
  static boolean deliver(
      SyncConfig sync,
      MessageRenderer renderer,
      SyncStore state,
      EventStream events,
      Sending sending,
      RunHistory history,
      RunTally tally,
      String runId,
      RunListener runListener) {
    boolean dryRun = history == null;
    List<Ack> unsent = new ArrayList<>();
    List<RejectedRow> invalid = new ArrayList<>();
    Sending.Started started = dryRun ? null : sending.started();
    try (Producer<PlannedEvent> producer = dryRun ? null : started.producer()) {
      if (producer != null) {
        tally.onCancel(producer::stop);
      }
      while (events.hasNext() && !tally.cancelRequested()) {
        PlannedEvent event = events.next();
        if (!sync.on().contains(event.type())) {
          tally.skipped.increment();
          unsent.add(event.ack());
        } else {
          tally.planned.get(event.type()).increment();
          Rendered rendered = renderer.render(event);
          if (rendered instanceof Rendered.Invalid bad) {
            tally.reject(event.type(), bad.reason(), 1);
            invalid.add(
                new RejectedRow(event.key(), event.type().label(), bad.reason(), bad.message()));
          } else if (!dryRun) {
            sending.tail().submitted();
            producer.submit(((Rendered.Record) rendered).record(), event);
          }
        }
        if (!dryRun && unsent.size() >= STATE_WRITE_BATCH) {
          state.ack(unsent);
          unsent.clear();
        }
        if (!dryRun && invalid.size() >= STATE_WRITE_BATCH) {
          history.reject(runId, invalid);
          runListener.rejected(invalid);
          invalid.clear();
        }
      }
      if (!dryRun) {
        state.ack(unsent);
        history.reject(runId, invalid);
        runListener.rejected(invalid);
        if (!tally.cancelRequested()) {
          // the plan no longer reads the delivered state: the commit may start beside the last
          // requests
          sending.tail().planRead();
        }
        producer.finish();
        if (tally.cancelRequested()) {
          producer.drain(SyncRunner.CANCEL_GRACE);
        }
      }
      return !tally.cancelRequested();
    } finally {
      if (started != null) {
        sending.tail().await();
        started.destination().close();
      }
    }
  }
}
