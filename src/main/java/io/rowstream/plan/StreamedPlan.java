package io.rowstream.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A plan whose events are read while the comparison still runs, so sending starts before planning
 * ends. What decides validity is final before the first event: the query's columns, how many rows
 * the model has, which have no key and which share one ({@link PlanningStore#duplicateKeys}); none
 * of those rows is ever among the events. How many events of each kind there are is known only once
 * the events are read to their end. Close it (it closes {@code events}).
 */
public record StreamedPlan(
    List<String> columns,
    long rowsQueried,
    long nullKeys,
    long duplicateKeyRows,
    EventStream events)
    implements AutoCloseable {
  public StreamedPlan {
    columns = List.copyOf(columns);
    requireNonNull(events, "events is null");
  }

  /** A plan that was compared whole before its events are read. */
  public static StreamedPlan of(List<String> columns, PlanCounts counts, EventStream events) {
    return new StreamedPlan(
        columns, counts.rowsQueried(), counts.nullKeys(), counts.duplicateKeyRows(), events);
  }

  @Override
  public void close() {
    events.close();
  }
}
