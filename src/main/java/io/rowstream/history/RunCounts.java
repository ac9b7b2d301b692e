package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one run as the history keeps them: final once the run ended, the last persisted
 * live counts while it runs (or when it died).
 *
 * @param rows rows queried; while reading, the rows read so far
 * @param events planned, sent (acknowledged) and rejected events by type
 * @param skipped events not in {@code on:} (state advanced without sending)
 * @param invalid model rows that cannot be sent (NULL or duplicated key)
 * @param rejections rejected rows by reason
 */
public record RunCounts(
    long rows,
    Map<EventType, Events> events,
    long skipped,
    long invalid,
    Map<String, Long> rejections) {

  public static final RunCounts NONE = new RunCounts(0, Map.of(), 0, 0, Map.of());

  /** One event type's counts. */
  public record Events(long planned, long sent, long rejected) {
    static final Events NONE = new Events(0, 0, 0);
  }

  public RunCounts {
    requireNonNull(events, "events is null");
    requireNonNull(rejections, "rejections is null");
    Map<EventType, Events> copy = new EnumMap<>(EventType.class);
    copy.putAll(events);
    events = Map.copyOf(copy);
    rejections = java.util.Collections.unmodifiableMap(new TreeMap<>(rejections));
  }

  public Events events(EventType type) {
    return events.getOrDefault(type, Events.NONE);
  }

  public long sent() {
    return events.values().stream().mapToLong(Events::sent).sum();
  }

  public long planned() {
    return events.values().stream().mapToLong(Events::planned).sum();
  }

  public long rejected() {
    return rejections.values().stream().mapToLong(Long::longValue).sum();
  }
}
