package io.rowstream.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records waiting to be sent, one queue per shard of the current map (or one stream-wide queue
 * when there is no map), each paced by its {@link Lane}, and the batch being filled from them. Not
 * thread-safe: the producer calls it under its lock.
 */
final class ShardQueues<T> {
  private final ProducerSettings settings;

  private ShardMap map;
  private Lane[] lanes;
  private ArrayDeque<Pending<T>>[] queues;

  /** Records submitted before the first map is installed. */
  private final ArrayDeque<Pending<T>> unplaced = new ArrayDeque<>();

  private List<Pending<T>> open = new ArrayList<>();
  private long openBytes;
  private long openSince;
  private boolean openFull;
  private int rotate;

  ShardQueues(ProducerSettings settings) {
    this.settings = settings;
  }

  /**
   * Queues a record on its shard's lane, at the front when {@code first} (a retry).
   *
   * @return whether that queue was empty, i.e. the dispatcher may have new work
   */
  boolean place(Pending<T> e, boolean first) {
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

  /**
   * Paces by {@code newMap} from now on, or stream-wide when it is {@code null}; shards that stay
   * keep their lane (and its learned pace), queued records move to their new shard.
   */
  @SuppressWarnings("unchecked")
  void install(ShardMap newMap, long now) {
    List<Pending<T>> queued = new ArrayList<>(unplaced);
    unplaced.clear();
    if (queues != null) {
      for (ArrayDeque<Pending<T>> q : queues) {
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
    } else {
      map = newMap;
      lanes = new Lane[newMap.size()];
      for (int i = 0; i < lanes.length; i++) {
        String id = newMap.shards().get(i).shardId();
        lanes[i] = previous.getOrDefault(id, Lane.shard(id, settings, now));
      }
    }
    queues = new ArrayDeque[lanes.length];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new ArrayDeque<>();
    }
    for (Pending<T> e : queued) {
      place(e, false);
    }
  }

  /** The shard the current map predicts for a record; {@code null} when pacing stream-wide. */
  String predictedShard(Pending<T> e) {
    return map == null ? null : map.shards().get(map.indexOf(e.hashKey)).shardId();
  }

  /** Moves records whose shard has tokens into the open batch, shard by shard, in turn. */
  void fill(long now) {
    int n = lanes.length;
    for (int k = 0; k < n && !openFull; k++) {
      int i = (rotate + k) % n;
      ArrayDeque<Pending<T>> q = queues[i];
      Lane lane = lanes[i];
      while (!q.isEmpty()) {
        Pending<T> e = q.peek();
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

  /**
   * Whether the open batch should go now: it is full, it has lingered long enough, or the producer
   * is finishing and nothing else is queued.
   */
  boolean batchReady(long now, boolean finishing) {
    return !open.isEmpty()
        && (openFull
            || now - openSince >= settings.linger().toNanos()
            || finishing && nothingQueued());
  }

  /** Takes the open batch; a new one starts empty. */
  List<Pending<T>> takeBatch() {
    List<Pending<T>> batch = open;
    open = new ArrayList<>();
    openBytes = 0;
    openFull = false;
    return batch;
  }

  /**
   * How long until the open batch lingers out or a queued shard has tokens, at most {@code wait}.
   */
  long nanosUntilReady(long now, boolean slot, long wait) {
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
    return wait;
  }

  private boolean nothingQueued() {
    for (ArrayDeque<Pending<T>> q : queues) {
      if (!q.isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
