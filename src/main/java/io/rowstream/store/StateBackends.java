package io.rowstream.store;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.StateConfig;
import io.rowstream.store.duckdb.EmbeddedBackend;
import io.rowstream.store.postgres.PostgresBackend;

/** The one place that chooses where the state lives, from the config's {@code state:}. */
public final class StateBackends {
  private StateBackends() {}

  public static StateBackend forConfig(RowstreamConfig config) {
    return forState(config.state());
  }

  public static StateBackend forState(StateConfig state) {
    return switch (state.type()) {
      case DUCKDB -> new EmbeddedBackend(state.dir());
      case POSTGRES -> new PostgresBackend(state);
    };
  }
}
