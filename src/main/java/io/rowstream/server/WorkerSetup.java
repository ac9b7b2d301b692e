package io.rowstream.server;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.ServerConfig;
import io.rowstream.config.StateConfig;
import io.rowstream.schedule.Workers;
import io.rowstream.store.postgres.PgWorkerLeases;
import java.util.Optional;

/**
 * Whether this {@code serve} is one of several workers: on a shared PostgreSQL state it is (its
 * runs take leases, its schedules are claimed); on the embedded state it is alone, as before.
 */
final class WorkerSetup {
  private WorkerSetup() {}

  static Optional<Workers> forConfig(RowstreamConfig config) {
    StateConfig state = config.state();
    if (state.type() != StateConfig.Type.POSTGRES) {
      return Optional.empty();
    }
    ServerConfig server = config.server();
    return Optional.of(
        Workers.start(
            PgWorkerLeases.open(state),
            Workers.newWorkerId(),
            server.leaseTtl(),
            server.heartbeat()));
  }
}
