package io.rowstream.plan;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Brings a sync's model into its {@link PlanningStore} and plans it. Get one from {@link Planners}.
 */
public interface Planner {
  /**
   * Stages the model and compares it with the delivered state.
   *
   * @param checkColumns sees the query's columns before any event is planned; throws to refuse
   * @param progress rows read so far
   */
  PlanCounts plan(Consumer<List<String>> checkColumns, LongConsumer progress);
}
