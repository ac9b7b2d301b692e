package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Sends records with PutRecords, paced per shard, with bounded memory and bounded retries.
 *
 * <ol>
 *   <li>On start it lists the stream's shards (ListShards) and predicts each record's shard (MD5 of
 *       the partition key, or the explicit hash key). Each shard is paced to its write limit with
 *       token buckets; throttled entries halve that shard's pace, which then recovers additively.
 *       When a response names another shard than predicted (resharding), the shard map is listed
 *       again, at most once per {@code shardRefreshInterval}. When ListShards is denied or fails,
 *       one stream-wide pace adapts instead: it grows while nothing throttles and halves when
 *       something does.
 *   <li>Batches (at most 500 records and 5 MiB) are built from records whose shard has tokens; at
 *       most {@code maxInFlight} requests are out at once (plus as many answered ones whose outcome
 *       is being reported, see {@link ProducerSettings#maxUnconfirmedRecords()}), and {@link
 *       #submit} blocks while the records not yet settled exceed {@code maxBufferedBytes}, so the
 *       source read waits.
 *   <li>Every entry of every response is matched by index to what was sent: stored entries are
 *       acknowledged; per-record failures and throttled requests are sent again after a jittered
 *       exponential backoff, only those entries, until the record's attempts or the run's retry
 *       budget are spent, and then rejected with the AWS error code (the next run sends them
 *       again). Fatal errors (stream not found, access denied, KMS key unusable, bad credentials)
 *       stop the producer.
 *   <li>An outage (no answer, connection refused or reset, timeout, HTTP 5xx) refuses nothing: its
 *       records are sent again with backoff, without using their attempts, for up to {@code
 *       outageTimeout}; a record that got no real answer for longer stops the producer with {@code
 *       endpoint_unreachable}, and the records not acknowledged stay undelivered.
 *   <li>A request refused whole as invalid ({@code ValidationException}, other 400s that are not
 *       throttling, credentials or access) is split in halves, sent again, until the records that
 *       cause it are alone; only those are rejected, with the server's message.
 * </ol>
 *
 * <p>Nothing is dropped silently and nothing is retried forever. Ordering across keys is free: the
 * planner gives each key at most one event a run.
 *
 * <p>Lifecycle: {@link #submit} records; then {@link #finish()}, which waits until every record is
 * acknowledged or rejected; then {@link #close()}. After a fatal error {@code submit} and {@code
 * finish} throw it; requests already in flight complete and report first. {@link #stop()} (from any
 * thread) ends sending early: {@code submit} and {@code finish} return at once, nothing more is
 * sent, and {@link #drain} waits, bounded, for the requests in flight to report.
 *
 * @param <T> what the caller tags each record with, handed back in the reports
 */
public final class Producer<T> implements AutoCloseable {
  /** Receives the outcome of every submitted record at most once, from the sending threads. */
  public interface Listener<T> {
    /** Kinesis stored these records. Throwing here makes the run fail. */
    void acknowledged(List<T> tags, List<EntryResult> results);

    /**
     * Kinesis refused the record, or it failed on every attempt allowed in this run.
     *
     * @param errorCode the AWS error code, e.g. {@code ValidationException}
     * @param message what happened, for people: starts with how Kinesis refused it
     */
    void rejected(T tag, String errorCode, String message);
  }

  /** How the producer paces its requests. */
  public enum Pacing {
    /** The shard map is being listed. */
    STARTING,
    /** Each shard to its write limit, from ListShards. */
    SHARDS,
    /** ListShards was denied or failed: one adaptive stream-wide pace. */
    STREAM_WIDE
  }

  /** What a queued record costs besides its bytes, for the memory bound. */
  static final long ENTRY_OVERHEAD_BYTES = 128;

  private final RecordingGateway gateway;
  private final String stream;
  private final ProducerSettings settings;
  private final Listener<T> listener;
  private final Function<T, String> keyOf;

  /** The event a tag stands for, for the call record; null keeps no records in it. */
  private final Function<T, String> eventOf;

  private final Outcomes<T> outcomes;
  private final ExecutorService senders;
  private final Thread dispatcher;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when the dispatcher may have something to do. */
  private final Condition work = lock.newCondition();

  /** Signalled when records settle or a request completes: submit and finish wait on it. */
  private final Condition progress = lock.newCondition();

  // Everything below is guarded by lock.
  private Pacing pacing = Pacing.STARTING;
  private final ShardQueues<T> queues;
  private final ShardRefresh refresh;
  private final Outbox<T> outbox;

  private int inFlight;

  /** Answered requests whose outcome is still being reported to the listener. */
  private int settling;

  /** Sending threads recording an answer; after a stop's grace, only these are waited for. */
  private int reporting;

  private long bufferedBytes;
  private long outstanding;
  private long submitted;
  private boolean dispatcherWaiting;
  private boolean finishing;
  private boolean closed;

  /** Nothing more is sent: the run was cancelled. */
  private boolean stopping;

  /** Requests still in flight after a stop's grace: their answers are no longer reported. */
  private boolean abandoned;

  private RowstreamException fatal;

  /**
   * Starts listing the stream's shards at once, on the producer's own thread.
   *
   * @param keyOf the primary key a tag stands for, for the call record
   * @param calls receives every PutRecords and ListShards call
   */
  public Producer(
      Destination destination,
      String stream,
      ProducerSettings settings,
      Listener<T> listener,
      Function<T, String> keyOf,
      CallLog calls) {
    this(destination, stream, settings, listener, keyOf, null, calls);
  }

  /**
   * As above; each call record also carries the records sent and, by {@code eventOf}, the event
   * each stands for, so the debugger can show them.
   */
  public Producer(
      Destination destination,
      String stream,
      ProducerSettings settings,
      Listener<T> listener,
      Function<T, String> keyOf,
      Function<T, String> eventOf,
      CallLog calls) {
    this.eventOf = eventOf;
    this.gateway =
        new RecordingGateway(
            requireNonNull(destination, "destination is null"),
            requireNonNull(calls, "calls is null"));
    this.stream = requireNonNull(stream, "stream is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.keyOf = requireNonNull(keyOf, "keyOf is null");
    this.queues = new ShardQueues<>(settings);
    RetrySchedule<T> retries = new RetrySchedule<>(settings);
    this.outbox = new Outbox<>(queues, retries);
    this.refresh = new ShardRefresh(settings.shardRefreshInterval());
    this.outcomes =
        new Outcomes<>(stream, retries, new Refusals<>(settings, retries), queues, refresh);
    this.senders =
        Executors.newFixedThreadPool(
            2 * settings.maxInFlight(),
            r -> {
              Thread t = new Thread(r, "rowstream-sender");
              t.setDaemon(true);
              return t;
            });
    this.dispatcher = new Thread(this::dispatchLoop, "rowstream-dispatcher");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  /** Queues a record; blocks while the records not yet settled hold {@code maxBufferedBytes}. */
  public void submit(OutboundRecord record, T tag) {
    requireNonNull(record, "record is null");
    Pending<T> entry = new Pending<>(record, tag);
    long cost = entry.size + ENTRY_OVERHEAD_BYTES;
    lock.lock();
    try {
      while (fatal == null
          && !stopping
          && bufferedBytes > 0
          && bufferedBytes + cost > settings.maxBufferedBytes()) {
        await(progress, "waiting for room in the send buffer");
      }
      throwIfFatal();
      if (stopping) {
        return; // not sent: it stays undelivered, and the next run sends it
      }
      if (closed) {
        throw new IllegalStateException("the producer is closed");
      }
      bufferedBytes += cost;
      outstanding++;
      submitted++;
      if (outbox.submit(entry) && dispatcherWaiting) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sends what is queued and waits until every record is acknowledged or rejected. */
  public void finish() {
    lock.lock();
    try {
      finishing = true;
      work.signal();
      while (!stopping && (fatal == null ? outstanding > 0 : inFlight + settling > 0)) {
        await(progress, "waiting for requests in flight");
      }
      if (!stopping) {
        throwIfFatal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** How the producer paces now; {@code STARTING} until the shard map is listed. */
  public Pacing pacing() {
    lock.lock();
    try {
      return pacing;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends nothing more, from now on; safe from any thread. {@link #submit} drops what it is given
   * and {@link #finish} returns; records not acknowledged stay undelivered (the next run sends
   * them). Call {@link #drain} next.
   */
  public void stop() {
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * After {@link #stop()}: waits up to {@code grace} for the requests in flight to answer and
   * report. Answers that come later are not reported (their records may land and be sent again by
   * the next run: at most {@link ProducerSettings#maxUnconfirmedRecords()}).
   *
   * @return whether every request in flight reported within the grace
   * @throws RowstreamException the fatal error that stopped the producer, if one did: it says more
   *     than the stop
   */
  public boolean drain(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    lock.lock();
    try {
      stopping = true;
      while (inFlight + settling > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          abandoned = true;
          // answers that come later are not recorded either: the run commits its calls next
          gateway.stopRecording();
          // reports being written finish: they are local and quick
          while (reporting > 0) {
            progress.awaitUninterruptibly();
          }
          throwIfFatal();
          return false;
        }
        progress.awaitNanos(left);
      }
      throwIfFatal();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandoned = true;
      gateway.stopRecording();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for requests in flight to report, so nothing acknowledged goes unrecorded; sends nothing
   * more.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      work.signalAll();
      while (abandoned ? reporting > 0 : inFlight + settling > 0) {
        progress.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
    gateway.stopRecording();
    senders.shutdown();
    try {
      senders.awaitTermination(abandoned ? 0 : 60, TimeUnit.SECONDS);
      dispatcher.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- the dispatcher thread ---

  /** Paces by {@code newMap}, or stream-wide when it is {@code null}; under lock. */
  private void install(ShardMap newMap, long now) {
    queues.install(newMap, now);
    pacing = newMap == null ? Pacing.STREAM_WIDE : Pacing.SHARDS;
    work.signal();
  }

  private void dispatchLoop() {
    ShardMap first = listShards();
    lock.lock();
    try {
      long now = System.nanoTime();
      refresh.listed(now);
      install(first, now);
      while (!closed) {
        if (fatal == null && refresh.take()) {
          lock.unlock();
          ShardMap refreshed;
          try {
            refreshed = listShards();
          } finally {
            lock.lock();
          }
          if (refreshed != null && !closed) {
            install(refreshed, System.nanoTime());
          }
          continue;
        }
        if (fatal != null || stopping) {
          work.awaitUninterruptibly();
          continue;
        }
        now = System.nanoTime();
        // answers still being recorded count too: until then their records are not safely delivered
        boolean slot =
            inFlight < settings.maxInFlight() && inFlight + settling < 2 * settings.maxInFlight();
        List<Pending<T>> batch = outbox.next(now, slot, finishing);
        if (batch != null) {
          dispatch(batch);
          continue;
        }
        dispatcherWaiting = true;
        work.awaitNanos(outbox.waitNanos(now, slot));
        dispatcherWaiting = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(RowstreamException.fatal("interrupted while sending"));
    } catch (RuntimeException | Error e) {
      fail(RowstreamException.fatal("the producer failed: " + e, e));
    } finally {
      lock.unlock();
    }
  }

  private void dispatch(List<Pending<T>> batch) {
    inFlight++;
    senders.execute(() -> send(batch));
  }

  private ShardMap listShards() {
    return ShardListing.map(gateway, stream);
  }

  // --- the sending threads ---

  private void send(List<Pending<T>> batch) {
    Request.Outcome outcome =
        Request.of(batch, keyOf, eventOf, System.nanoTime()).send(gateway, stream);
    Settled<T> settled = new Settled<>();
    boolean answered = false;
    lock.lock();
    try {
      if (abandoned) {
        // the run was cancelled and committed without this answer
        inFlight--;
        progress.signalAll();
        return;
      }
      reporting++;
    } finally {
      lock.unlock();
    }
    try {
      lock.lock();
      try {
        act(outcomes.sort(batch, outcome, settled, submitted, System.nanoTime()));
        // the request is done: another may go out while this answer is recorded
        answered = true;
        inFlight--;
        settling++;
        work.signal();
      } finally {
        lock.unlock();
      }
      settled.reportTo(listener);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        fail(
            e instanceof RowstreamException r && r.kind() == RowstreamException.Kind.FATAL
                ? r
                : RowstreamException.fatal(
                    "recording what Kinesis stored failed: " + e.getMessage(), e));
      } finally {
        lock.unlock();
      }
    } finally {
      lock.lock();
      try {
        bufferedBytes -= settled.bytes;
        outstanding -= settled.count;
        if (answered) {
          settling--;
        } else {
          inFlight--;
        }
        reporting--;
        progress.signalAll();
        work.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Acts on what an answer settled; under lock. */
  private void act(Outcomes.Verdict<T> verdict) {
    outbox.split(verdict.splits());
    if (verdict.fatal() != null) {
      fail(verdict.fatal());
    }
    if (verdict.wake()) {
      work.signal();
    }
  }

  private void fail(RowstreamException e) {
    if (fatal == null) {
      fatal = e;
    }
    work.signalAll();
    progress.signalAll();
  }

  private void await(Condition condition, String what) {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted while " + what);
    }
  }

  private void throwIfFatal() {
    if (fatal != null) {
      throw fatal;
    }
  }
}
