package io.rowstream.store.duckdb;

import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import java.nio.file.Path;

class DuckDbDeliveredStateTest extends DeliveredStateContract {
  @Override
  protected DeliveredState open(Path dir, String sync) {
    return DuckDbState.open(dir, sync);
  }
}
