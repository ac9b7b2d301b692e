package io.rowstream.store;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.StateConfig;
import io.rowstream.store.duckdb.EmbeddedBackend;
import io.rowstream.store.postgres.PostgresBackend;
import io.rowstream.store.warehouse.WarehousePlanning;

/** The one place that chooses where the state lives, from the config's {@code state:}. */
public final class StateBackends {
  private StateBackends() {}

  /** The config's state, with the syncs of sources that plan in the warehouse kept there. */
  public static StateBackend forConfig(RowstreamConfig config) {
    return WarehousePlanning.over(forState(config.state()), config);
  }

  public static StateBackend forState(StateConfig state) {
    return switch (state.type()) {
      case DUCKDB -> new EmbeddedBackend(state.dir());
      case POSTGRES -> new PostgresBackend(state);
    };
  }
}
