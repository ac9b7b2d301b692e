package io.rowstream.plan;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;

/** The row-text planner: every row read through JDBC, fingerprinted from its JSON text. */
class RowTextPlannerTest extends PlannerContract {
  @Override
  protected Planner planner(SourceConfig source, SyncConfig sync, PlanningStore store) {
    return Planners.rowText(source, sync, store);
  }

  @Override
  protected boolean fingerprintsRowText() {
    return true;
  }
}
