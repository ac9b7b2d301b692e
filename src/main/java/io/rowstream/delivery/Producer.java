package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
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

  /** The longest server message kept with a rejection. */
  static final int MAX_MESSAGE_CHARS = 1_000;

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

  private static final long MIN_WAIT_NANOS = 200_000;
  private static final long MAX_WAIT_NANOS = 1_000_000_000;

  private static final class Entry<T> {
    final OutboundRecord record;
    final T tag;
    final int size;
    final BigInteger hashKey;

    /** Attempts that count against {@code maxAttempts}: outages and invalid requests do not. */
    int attempts;

    /** Every time the record went out, for the call record. */
    int sends;

    long lastSent;

    /** When the record's first request without a real answer went out; -1 while it is answered. */
    long outageSince = -1;

    int outageAttempts;
    long notBefore;
    long retryOrder;
    Lane lane;

    Entry(OutboundRecord record, T tag) {
      this.record = record;
      this.tag = tag;
      this.size = record.size();
      this.hashKey = ShardMap.hashKey(record);
    }
  }

  /** Why a record was rejected. */
  private record Reason(String code, String message) {}

  /** What one response settled, reported to the listener outside the lock. */
  private final class Settled {
    final List<T> acked = new ArrayList<>();
    final List<EntryResult> ackedResults = new ArrayList<>();
    final List<Entry<T>> rejected = new ArrayList<>();
    final List<Reason> reasons = new ArrayList<>();
    long bytes;
    long count;

    void ack(Entry<T> e, EntryResult r) {
      acked.add(e.tag);
      ackedResults.add(r);
      settle(e);
    }

    void reject(Entry<T> e, String code, String message) {
      rejected.add(e);
      reasons.add(new Reason(code, message));
      settle(e);
    }

    private void settle(Entry<T> e) {
      bytes += e.size + ENTRY_OVERHEAD_BYTES;
      count++;
    }
  }

  private final Destination destination;
  private final String stream;
  private final ProducerSettings settings;
  private final Listener<T> listener;
  private final Function<T, String> keyOf;

  /** The event a tag stands for, for the call record; null keeps no records in it. */
  private final Function<T, String> eventOf;

  private final CallLog calls;
  private final ExecutorService senders;
  private final Thread dispatcher;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when the dispatcher may have something to do. */
  private final Condition work = lock.newCondition();

  /** Signalled when records settle or a request completes: submit and finish wait on it. */
  private final Condition progress = lock.newCondition();

  // Everything below is guarded by lock.
  private Pacing pacing = Pacing.STARTING;
  private ShardMap map;
  private Lane[] lanes;
  private ArrayDeque<Entry<T>>[] queues;
  private final ArrayDeque<Entry<T>> unplaced = new ArrayDeque<>();

  /** Halves of requests refused as invalid, sent before new batches. */
  private final ArrayDeque<List<Entry<T>>> splits = new ArrayDeque<>();

  private final PriorityQueue<Entry<T>> retries =
      new PriorityQueue<>(
          Comparator.<Entry<T>>comparingLong(e -> e.notBefore)
              .thenComparingLong(e -> e.retryOrder));
  private List<Entry<T>> open = new ArrayList<>();
  private long openBytes;
  private long openSince;
  private boolean openFull;
  private int rotate;
  private int inFlight;

  /** Answered requests whose outcome is still being reported to the listener. */
  private int settling;

  /** Sending threads recording an answer; after a stop's grace, only these are waited for. */
  private int reporting;

  private long bufferedBytes;
  private long outstanding;
  private long submitted;
  private long retried;
  private long retryOrder;
  private long lastRefresh;
  private boolean refreshWanted;
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
    this.destination = requireNonNull(destination, "destination is null");
    this.stream = requireNonNull(stream, "stream is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.keyOf = requireNonNull(keyOf, "keyOf is null");
    this.calls = requireNonNull(calls, "calls is null");
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
    Entry<T> entry = new Entry<>(record, tag);
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
      if (place(entry, false) && dispatcherWaiting) {
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
    senders.shutdown();
    try {
      senders.awaitTermination(abandoned ? 0 : 60, TimeUnit.SECONDS);
      dispatcher.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- placing records in lanes (under lock) ---

  /** Returns whether the record's queue was empty, i.e. the dispatcher may have new work. */
  private boolean place(Entry<T> e, boolean first) {
    if (lanes == null) {
      unplaced.add(e);
      return false;
    }
    int i = map == null ? 0 : map.indexOf(e.hashKey);
    e.lane = lanes[i];
    boolean wasEmpty = queues[i].isEmpty();
    if (first) {
      queues[i].addFirst(e);
    } else {
      queues[i].addLast(e);
    }
    return wasEmpty;
  }

  @SuppressWarnings("unchecked")
  private void install(ShardMap newMap, long now) {
    List<Entry<T>> queued = new ArrayList<>(unplaced);
    unplaced.clear();
    if (queues != null) {
      for (ArrayDeque<Entry<T>> q : queues) {
        queued.addAll(q);
      }
    }
    Map<String, Lane> previous = new HashMap<>();
    if (lanes != null) {
      for (Lane lane : lanes) {
        lane.shardId().ifPresent(id -> previous.put(id, lane));
      }
    }
    if (newMap == null) {
      map = null;
      lanes = new Lane[] {Lane.streamWide(settings, now)};
      pacing = Pacing.STREAM_WIDE;
    } else {
      map = newMap;
      lanes = new Lane[newMap.size()];
      for (int i = 0; i < lanes.length; i++) {
        String id = newMap.shards().get(i).shardId();
        lanes[i] = previous.getOrDefault(id, Lane.shard(id, settings, now));
      }
      pacing = Pacing.SHARDS;
    }
    queues = new ArrayDeque[lanes.length];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new ArrayDeque<>();
    }
    for (Entry<T> e : queued) {
      place(e, false);
    }
    work.signal();
  }

  // --- the dispatcher thread ---

  private void dispatchLoop() {
    ShardMap first = listShards();
    lock.lock();
    try {
      long now = System.nanoTime();
      lastRefresh = now;
      install(first, now);
      while (!closed) {
        if (refreshWanted && fatal == null) {
          refreshWanted = false;
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
        if (!retries.isEmpty() && retries.peek().notBefore <= now) {
          List<Entry<T>> due = new ArrayList<>();
          while (!retries.isEmpty() && retries.peek().notBefore <= now) {
            due.add(retries.poll());
          }
          // retries go first, in the order they were sent
          for (int i = due.size() - 1; i >= 0; i--) {
            place(due.get(i), true);
          }
        }
        // answers still being recorded count too: until then their records are not safely delivered
        boolean slot =
            inFlight < settings.maxInFlight() && inFlight + settling < 2 * settings.maxInFlight();
        if (slot && !splits.isEmpty()) {
          dispatch(splits.poll());
          continue;
        }
        fill(now);
        if (!open.isEmpty()
            && slot
            && (openFull
                || now - openSince >= settings.linger().toNanos()
                || finishing && nothingQueued())) {
          dispatch();
          continue;
        }
        dispatcherWaiting = true;
        work.awaitNanos(waitNanos(now, slot));
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

  private boolean nothingQueued() {
    for (ArrayDeque<Entry<T>> q : queues) {
      if (!q.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private long waitNanos(long now, boolean slot) {
    long wait = MAX_WAIT_NANOS;
    if (slot && !open.isEmpty()) {
      wait = Math.min(wait, openSince + settings.linger().toNanos() - now);
    }
    if (!openFull) {
      for (int i = 0; i < lanes.length; i++) {
        if (!queues[i].isEmpty()) {
          wait = Math.min(wait, lanes[i].nanosUntilReady(now));
        }
      }
    }
    if (!retries.isEmpty()) {
      wait = Math.min(wait, retries.peek().notBefore - now);
    }
    return Math.max(MIN_WAIT_NANOS, wait);
  }

  /** Moves records whose shard has tokens into the open batch, shard by shard, in turn. */
  private void fill(long now) {
    int n = lanes.length;
    for (int k = 0; k < n && !openFull; k++) {
      int i = (rotate + k) % n;
      ArrayDeque<Entry<T>> q = queues[i];
      Lane lane = lanes[i];
      while (!q.isEmpty()) {
        Entry<T> e = q.peek();
        if (open.size() >= settings.maxBatchRecords()
            || openBytes + e.size > settings.maxBatchBytes()) {
          openFull = true;
          break;
        }
        if (!lane.tryTake(e.size, now)) {
          break;
        }
        q.poll();
        if (open.isEmpty()) {
          openSince = now;
        }
        open.add(e);
        openBytes += e.size;
      }
    }
    rotate++;
  }

  private void dispatch() {
    List<Entry<T>> batch = open;
    open = new ArrayList<>();
    openBytes = 0;
    openFull = false;
    dispatch(batch);
  }

  private void dispatch(List<Entry<T>> batch) {
    inFlight++;
    senders.execute(() -> send(batch));
  }

  private ShardMap listShards() {
    return ShardListing.list(destination, stream, calls);
  }

  // --- the sending threads ---

  private void send(List<Entry<T>> batch) {
    long start = System.nanoTime();
    Instant started = Instant.now();
    int attempt = 0;
    List<OutboundRecord> records = new ArrayList<>(batch.size());
    List<String> keys = new ArrayList<>(batch.size());
    List<ApiCall.Sent> sent = new ArrayList<>(eventOf == null ? 0 : batch.size());
    long bytes = 0;
    for (Entry<T> e : batch) {
      if (eventOf != null) {
        sent.add(new ApiCall.Sent(eventOf.apply(e.tag), e.record));
      }
      e.attempts++;
      e.sends++;
      e.lastSent = start;
      attempt = Math.max(attempt, e.sends);
      records.add(e.record);
      keys.add(keyOf.apply(e.tag));
      bytes += e.size;
    }
    PutResult result = null;
    RowstreamException failure = null;
    try {
      result = destination.putRecords(stream, records);
    } catch (RowstreamException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = RowstreamException.fatal("sending failed: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Settled settled = new Settled();
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
      ApiCall.Payload payload = new ApiCall.Payload(records.size(), bytes, keys, sent);
      calls.record(
          failure == null
              ? ApiCall.answered(
                  "PutRecords",
                  started,
                  took,
                  attempt,
                  payload,
                  result.httpStatus(),
                  result.requestId(),
                  result.entries())
              : ApiCall.failed("PutRecords", started, took, attempt, payload, failure));
      lock.lock();
      try {
        settle(batch, result, failure, settled, System.nanoTime());
        // the request is done: another may go out while this answer is recorded
        answered = true;
        inFlight--;
        settling++;
        work.signal();
      } finally {
        lock.unlock();
      }
      if (!settled.acked.isEmpty()) {
        listener.acknowledged(settled.acked, settled.ackedResults);
      }
      for (int i = 0; i < settled.rejected.size(); i++) {
        Reason reason = settled.reasons.get(i);
        listener.rejected(settled.rejected.get(i).tag, reason.code(), reason.message());
      }
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

  /** Sorts one response into acknowledged, retried, rejected; under lock. */
  private void settle(
      List<Entry<T>> batch,
      PutResult result,
      RowstreamException failure,
      Settled settled,
      long now) {
    // one backoff for all that fail in this answer, so they are sent again together
    int attempts = 0;
    for (Entry<T> e : batch) {
      attempts = Math.max(attempts, e.attempts);
    }
    long retryAt = now + backoffNanos(attempts);
    if (failure != null) {
      DestinationException d = failure instanceof DestinationException x ? x : null;
      int status = d == null ? 0 : d.httpStatus();
      String code = d == null ? DestinationException.NO_RESPONSE : d.errorCode();
      if (d != null && ErrorCodes.isInvalidRequest(code, status)) {
        bisect(batch, code, failure.getMessage(), settled);
        return;
      }
      if (failure.kind() != RowstreamException.Kind.RETRYABLE) {
        fail(failure);
        return;
      }
      if (ErrorCodes.isThrottling(code, status)) {
        for (Entry<T> e : batch) {
          e.lane.throttled(now);
          e.outageSince = -1;
        }
        for (Entry<T> e : batch) {
          retryOrGiveUp(e, code, failure.getMessage(), settled, retryAt);
        }
        return;
      }
      // no answer, a timeout or a 5xx: Kinesis refused nothing, so ride it out
      rideOut(batch, failure, now);
      return;
    }
    List<EntryResult> entries = result.entries();
    if (entries.size() != batch.size()) {
      fail(
          RowstreamException.fatal(
              "the PutRecords response holds "
                  + entries.size()
                  + " entries for "
                  + batch.size()
                  + " records sent; cannot tell which were stored"));
      return;
    }
    Map<Lane, Boolean> throttledLanes = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Entry<T> e = batch.get(i);
      EntryResult r = entries.get(i);
      if (r.ok()) {
        settled.ack(e, r);
        throttledLanes.putIfAbsent(e.lane, false);
        noticeShard(e, r.shardId(), now);
      } else if (ErrorCodes.isFatal(r.errorCode(), 0)) {
        fail(
            RowstreamException.fatal(
                ErrorCodes.classify(r.errorCode(), 0).code(),
                "Kinesis refused a record of stream '"
                    + stream
                    + "' with "
                    + r.errorCode()
                    + ": "
                    + r.errorMessage()
                    + "; no record can be stored until that is fixed"));
      } else if (ErrorCodes.isRetryable(r.errorCode(), 0)) {
        if (ErrorCodes.isThrottling(r.errorCode(), 0)) {
          throttledLanes.put(e.lane, true);
        }
        e.outageSince = -1;
        retryOrGiveUp(e, r.errorCode(), r.errorMessage(), settled, retryAt);
      } else {
        settled.reject(
            e,
            reasonCode(r.errorCode()),
            "Kinesis refused the record: " + r.errorCode() + ": " + clip(r.errorMessage()));
      }
    }
    throttledLanes.forEach(
        (lane, throttled) -> {
          if (throttled) {
            lane.throttled(now);
          } else {
            lane.succeeded(now);
          }
        });
  }

  /**
   * A stored entry on another shard than the current map predicts means the stream was resharded.
   */
  private void noticeShard(Entry<T> e, String shardId, long now) {
    if (map == null || shardId == null || refreshWanted) {
      return;
    }
    String predicted = map.shards().get(map.indexOf(e.hashKey)).shardId();
    if (!predicted.equals(shardId)
        && now - lastRefresh >= settings.shardRefreshInterval().toNanos()) {
      lastRefresh = now;
      refreshWanted = true;
      work.signal();
    }
  }

  private void retryOrGiveUp(
      Entry<T> e, String code, String message, Settled settled, long retryAt) {
    long allowance = settings.retryAllowance(submitted);
    if (e.attempts < settings.maxAttempts() && retried < allowance) {
      retried++;
      retryLater(e, retryAt);
      return;
    }
    String why =
        e.attempts >= settings.maxAttempts()
            ? " (gave up after " + e.attempts + " attempts)"
            : " (the run's retry budget of " + allowance + " retried attempts is spent)";
    settled.reject(
        e, reasonCode(code), "Kinesis refused the record on every attempt: " + clip(message) + why);
  }

  private void retryLater(Entry<T> e, long at) {
    e.notBefore = at;
    e.retryOrder = ++retryOrder;
    retries.add(e);
    work.signal();
  }

  /**
   * A request got no real answer: its records are sent again together with backoff, without using
   * their attempts or the retry budget, until one has gone without an answer for {@code
   * outageTimeout}; then the producer stops, naming the outage.
   */
  private void rideOut(List<Entry<T>> batch, RowstreamException failure, long now) {
    long timeout = settings.outageTimeout().toNanos();
    long deadline = Long.MAX_VALUE;
    int outageAttempts = 0;
    for (Entry<T> e : batch) {
      e.attempts--;
      if (e.outageSince < 0) {
        e.outageSince = e.lastSent;
      }
      if (now - e.outageSince >= timeout) {
        fail(
            RowstreamException.fatal(
                ErrorCode.ENDPOINT_UNREACHABLE,
                "endpoint_unreachable: the Kinesis endpoint gave no answer for "
                    + String.format(Locale.ROOT, "%.1fs", (now - e.outageSince) / 1e9)
                    + " (outage_timeout "
                    + human(settings.outageTimeout())
                    + "); the run stops here, and the rows not acknowledged stay "
                    + "undelivered for the next run. Last error: "
                    + failure.getMessage(),
                failure));
        return;
      }
      outageAttempts = Math.max(outageAttempts, ++e.outageAttempts);
      deadline = Math.min(deadline, e.outageSince + timeout);
    }
    // the last attempt goes out when the bound is reached, not later
    long retryAt = Math.min(now + backoffNanos(outageAttempts), deadline);
    for (Entry<T> e : batch) {
      retryLater(e, retryAt);
    }
  }

  /**
   * A request refused whole as invalid says nothing of which records are at fault: its halves are
   * sent as requests of their own until a record refused alone is rejected with the server's
   * message. The refusals use no attempts: they were not delivery attempts.
   */
  private void bisect(List<Entry<T>> batch, String code, String message, Settled settled) {
    for (Entry<T> e : batch) {
      e.attempts--;
      e.outageSince = -1;
    }
    if (batch.size() == 1) {
      settled.reject(
          batch.get(0),
          reasonCode(code),
          "Kinesis refused the record as invalid: " + clip(message));
      return;
    }
    int half = batch.size() / 2;
    splits.add(new ArrayList<>(batch.subList(0, half)));
    splits.add(new ArrayList<>(batch.subList(half, batch.size())));
    work.signal();
  }

  /** An AWS error code as a reason code: its name only, whatever the server sent. */
  static String reasonCode(String code) {
    String clean = code == null ? "" : code.replaceAll("[^A-Za-z0-9_.-]", "");
    if (clean.isEmpty()) {
      return "UnknownError";
    }
    return clean.length() > 64 ? clean.substring(0, 64) : clean;
  }

  /** A server message on one line, bounded in length. */
  private static String clip(String message) {
    String oneLine = message == null ? "" : message.replaceAll("\\p{Cntrl}+", " ").strip();
    return oneLine.length() > MAX_MESSAGE_CHARS
        ? oneLine.substring(0, MAX_MESSAGE_CHARS) + "..."
        : oneLine;
  }

  /** {@code 2m}, {@code 90s}, {@code 300ms}: as the config writes it. */
  static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }

  /** Exponential backoff with jitter: half fixed, half random, so retries spread out. */
  private long backoffNanos(int attempt) {
    long cap =
        Math.min(
            settings.maxBackoff().toNanos(),
            settings.baseBackoff().toNanos() << Math.min(attempt - 1, 20));
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
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
