package io.rowstream.plan;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;

/**
 * The in-place planner, as {@link Planners} picks it for a DuckDB file model: fingerprints in SQL,
 * only the rows to send read through Java.
 */
class InPlacePlannerTest extends PlannerContract {
  @Override
  protected Planner planner(SourceConfig source, SyncConfig sync, PlanningStore store) {
    return Planners.forSync(source, sync, store);
  }

  @Override
  protected boolean fingerprintsRowText() {
    return false;
  }
}
