package io.rowstream.plan;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Brings a sync's model into its {@link PlanningStore} and plans it. Get one from {@link Planners}.
 */
public interface Planner {
  /**
   * Stages the model and compares it with the delivered state, whole; the events are then read from
   * {@link PlanningStore#events}. For what needs the whole plan first (initial sync {@code skip}
   * records it as the baseline).
   *
   * @param checkColumns sees the query's columns before any event is planned; throws to refuse
   * @param progress rows read so far
   */
  PlanCounts plan(Consumer<List<String>> checkColumns, LongConsumer progress);

  /**
   * Plans and hands back the events as the comparison produces them, where the store can (a DuckDB
   * model planned in place); otherwise compares whole first. NULL and duplicated keys are decided
   * before the first event, so no event of theirs is ever handed out. The caller closes the plan.
   *
   * @param checkColumns sees the query's columns before any event is planned; throws to refuse
   * @param progress rows read so far
   */
  StreamedPlan stream(Consumer<List<String>> checkColumns, LongConsumer progress);
}
