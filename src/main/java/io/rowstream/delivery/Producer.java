package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Batches records into PutRecords requests and keeps a bounded number in flight. Every entry of
 * every response is matched by index to what was sent: stored entries are reported as
 * acknowledged, failed ones are sent again (alone, after a jittered exponential backoff) until
 * the attempt budget is spent, and then reported as rejected with the AWS error code. Nothing is
 * dropped silently and nothing is retried forever.
 *
 * <p>Lifecycle: {@link #submit} records (it blocks while {@code maxInFlight} requests are out);
 * then {@link #finish()}, which sends the last batch and waits for every request; then {@link
 * #close()}. A fatal error stops the producer: {@code submit} and {@code finish} throw it, and
 * requests already in flight complete and report first.
 *
 * @param <T> what the caller tags each record with, handed back in the reports
 */
public final class Producer<T> implements AutoCloseable {
  /** Receives the outcome of every submitted record exactly once, from the sending threads. */
  public interface Listener<T> {
    /** Kinesis stored these records. Throwing here makes the run fail. */
    void acknowledged(List<T> tags, List<EntryResult> results);

    /** Kinesis refused the record on every attempt. */
    void rejected(T tag, String errorCode, String message);
  }

  /** Per-entry error codes worth another attempt; any other code is final for this run. */
  static final Set<String> RETRYABLE_ENTRY_CODES =
      Set.of("ProvisionedThroughputExceededException", "InternalFailure", "ServiceUnavailable");

  private record Entry<T>(OutboundRecord record, T tag) {}

  private final Destination destination;
  private final String stream;
  private final ProducerSettings settings;
  private final Listener<T> listener;
  private final Function<T, String> keyOf;
  private final CallLog calls;
  private final ExecutorService senders;
  private final Semaphore inFlight;
  private final AtomicReference<RowstreamException> fatal = new AtomicReference<>();
  private List<Entry<T>> batch = new ArrayList<>();
  private long batchBytes;

  /**
   * @param keyOf the primary key a tag stands for, for the call record
   * @param calls receives every PutRecords attempt
   */
  public Producer(Destination destination, String stream, ProducerSettings settings, Listener<T> listener,
      Function<T, String> keyOf, CallLog calls) {
    this.destination = requireNonNull(destination, "destination is null");
    this.stream = requireNonNull(stream, "stream is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.keyOf = requireNonNull(keyOf, "keyOf is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.inFlight = new Semaphore(settings.maxInFlight());
    this.senders = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
      Thread t = new Thread(r, "rowstream-sender");
      t.setDaemon(true);
      return t;
    });
  }

  public void submit(OutboundRecord record, T tag) {
    throwIfFatal();
    if (!batch.isEmpty()
        && (batch.size() >= settings.maxBatchRecords() || batchBytes + record.size() > settings.maxBatchBytes())) {
      dispatch();
    }
    batch.add(new Entry<>(record, tag));
    batchBytes += record.size();
  }

  /** Sends what is left and waits for every request to report. */
  public void finish() {
    throwIfFatal();
    if (!batch.isEmpty()) {
      dispatch();
    }
    awaitIdle();
    throwIfFatal();
  }

  private void dispatch() {
    List<Entry<T>> sending = batch;
    batch = new ArrayList<>();
    batchBytes = 0;
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted while sending");
    }
    senders.execute(() -> {
      try {
        send(sending);
      } catch (RowstreamException e) {
        fatal.compareAndSet(null, e);
      } catch (RuntimeException e) {
        fatal.compareAndSet(null, RowstreamException.fatal("sending failed: " + e, e));
      } finally {
        inFlight.release();
      }
    });
  }

  private void send(List<Entry<T>> entries) {
    List<Entry<T>> pending = entries;
    for (int attempt = 1; ; attempt++) {
      List<EntryResult> results;
      List<OutboundRecord> records = new ArrayList<>(pending.size());
      List<String> keys = new ArrayList<>(pending.size());
      long bytes = 0;
      for (Entry<T> entry : pending) {
        records.add(entry.record());
        keys.add(keyOf.apply(entry.tag()));
        bytes += entry.record().size();
      }
      Instant started = Instant.now();
      long startNanos = System.nanoTime();
      try {
        PutResult result = destination.putRecords(stream, records);
        results = result.entries();
        calls.record(new ApiCall("PutRecords", started, Duration.ofNanos(System.nanoTime() - startNanos), attempt,
            result.httpStatus(), result.requestId(), records.size(), bytes, keys, results, Optional.empty()));
      } catch (RowstreamException e) {
        calls.record(new ApiCall("PutRecords", started, Duration.ofNanos(System.nanoTime() - startNanos), attempt,
            0, Optional.empty(), records.size(), bytes, keys, List.of(), Optional.of(e.getMessage())));
        if (e.kind() != RowstreamException.Kind.RETRYABLE) {
          throw e;
        }
        if (attempt >= settings.maxAttempts()) {
          throw RowstreamException.fatal(e.getMessage() + " (gave up after " + attempt + " attempts)", e);
        }
        backoff(attempt);
        continue;
      }
      if (results.size() != pending.size()) {
        throw RowstreamException.fatal("the PutRecords response holds " + results.size() + " entries for "
            + pending.size() + " records sent; cannot tell which were stored");
      }
      List<T> stored = new ArrayList<>(pending.size());
      List<EntryResult> storedResults = new ArrayList<>(pending.size());
      List<Entry<T>> failed = new ArrayList<>();
      List<EntryResult> failures = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        EntryResult result = results.get(i);
        if (result.ok()) {
          stored.add(pending.get(i).tag());
          storedResults.add(result);
        } else if (!RETRYABLE_ENTRY_CODES.contains(result.errorCode())) {
          listener.rejected(pending.get(i).tag(), result.errorCode(), result.errorMessage());
        } else {
          failed.add(pending.get(i));
          failures.add(result);
        }
      }
      if (!stored.isEmpty()) {
        listener.acknowledged(stored, storedResults);
      }
      if (failed.isEmpty()) {
        return;
      }
      if (attempt >= settings.maxAttempts() || fatal.get() != null) {
        for (int i = 0; i < failed.size(); i++) {
          listener.rejected(failed.get(i).tag(), failures.get(i).errorCode(), failures.get(i).errorMessage());
        }
        return;
      }
      backoff(attempt);
      pending = failed;
    }
  }

  /** Exponential backoff with jitter: half fixed, half random, so retries spread out. */
  private void backoff(int attempt) {
    long cap = Math.min(settings.maxBackoff().toMillis(),
        settings.baseBackoff().toMillis() << Math.min(attempt - 1, 20));
    long sleep = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted while waiting to retry");
    }
  }

  private void awaitIdle() {
    try {
      inFlight.acquire(settings.maxInFlight());
      inFlight.release(settings.maxInFlight());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted while waiting for requests in flight");
    }
  }

  private void throwIfFatal() {
    RowstreamException e = fatal.get();
    if (e != null) {
      throw e;
    }
  }

  /** Waits for requests in flight to report, so nothing acknowledged goes unrecorded. */
  @Override
  public void close() {
    awaitIdle();
    senders.shutdown();
    try {
      senders.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
