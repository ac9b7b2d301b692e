package io.rowstream.store;

import io.rowstream.plan.PlanningStore;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.SyncLease;

/**
 * One sync's delivered state, opened by a {@link StateBackend}, and the planning that runs beside
 * it: the store that holds the delivered rows also compares the model with them.
 */
public interface SyncStore extends DeliveredState, PlanningStore {
  /** The sync whose state this is. */
  String sync();

  /** The lease this store holds while open to change the state; none when opened read-only. */
  java.util.Optional<SyncLease> lease();
}
