package io.rowstream.store;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.store.duckdb.EmbeddedBackend;

/** The one place that chooses where the state lives, from the config's {@code state:}. */
public final class StateBackends {
  private StateBackends() {}

  public static StateBackend forConfig(RowstreamConfig config) {
    return new EmbeddedBackend(config.stateDir());
  }
}
