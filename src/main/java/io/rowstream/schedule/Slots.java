package io.rowstream.schedule;

import io.rowstream.config.ScheduleSpec;
import io.rowstream.config.SyncConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The syncs a scheduler knows, in config order, each with its {@link Slot}: which syncs there are
 * and when they are due, apart from the runs. Guarded by the scheduler's lock.
 */
final class Slots {
  private final Map<String, Slot> byName = new LinkedHashMap<>();

  Slot get(String sync) {
    return byName.get(sync);
  }

  Collection<Slot> all() {
    return byName.values();
  }

  Iterable<Map.Entry<String, Slot>> entries() {
    return byName.entrySet();
  }

  /**
   * Takes the syncs of a (new) config and returns the slots of the syncs no longer in it (their
   * queued runs are for the caller to cancel). A sync seen before keeps its slot; a new one starts
   * from {@code history}.
   */
  List<Slot> configure(
      Collection<SyncConfig> syncs, Map<String, SyncHistory> history, Instant now) {
    Map<String, SyncConfig> incoming = new LinkedHashMap<>();
    List<String> firstRuns = neverRan(syncs, history);
    syncs.forEach(s -> incoming.put(s.name(), s));
    List<Slot> removed = new ArrayList<>();
    for (String name : List.copyOf(byName.keySet())) {
      if (!incoming.containsKey(name)) {
        removed.add(byName.remove(name));
      }
    }
    for (SyncConfig sync : incoming.values()) {
      Slot slot = byName.get(sync.name());
      if (slot == null) {
        slot = Slot.from(history.getOrDefault(sync.name(), SyncHistory.NONE));
        byName.put(sync.name(), slot);
      }
      slot.configure(sync, now, firstRuns.indexOf(sync.name()), firstRuns.size());
    }
    return removed;
  }

  /**
   * The syncs on an every schedule that are new to this scheduler and never ran, in config order:
   * their first runs are spread evenly (see {@link Timing#first}).
   */
  private List<String> neverRan(Collection<SyncConfig> syncs, Map<String, SyncHistory> history) {
    List<String> names = new ArrayList<>();
    for (SyncConfig sync : syncs) {
      if (sync.schedule() instanceof ScheduleSpec.Every
          && !byName.containsKey(sync.name())
          && history.getOrDefault(sync.name(), SyncHistory.NONE).lastStarted().isEmpty()) {
        names.add(sync.name());
      }
    }
    return names;
  }

  /**
   * The syncs that run {@code after:} {@code succeeded} and are now due: not paused, and every sync
   * they wait for succeeded since they last started.
   */
  List<String> dependents(String succeeded) {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Slot> e : byName.entrySet()) {
      Slot slot = e.getValue();
      if (slot.config.schedule() instanceof ScheduleSpec.After after
          && after.syncs().contains(succeeded)
          && !slot.paused()
          && after.syncs().stream().allMatch(dep -> succeededSince(dep, slot.lastStarted))) {
        due.add(e.getKey());
      }
    }
    return due;
  }

  private boolean succeededSince(String sync, Instant since) {
    Slot dep = byName.get(sync);
    return dep != null
        && dep.lastSucceeded != null
        && (since == null || dep.lastSucceeded.isAfter(since));
  }
}
