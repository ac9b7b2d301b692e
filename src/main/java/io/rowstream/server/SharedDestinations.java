package io.rowstream.server;

import io.rowstream.config.DestinationConfig;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.ForwardingDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One connected destination per destination config, shared by the runs of every sync that sends
 * there (a destination is safe from several threads): a service does not build an SDK client, a
 * connection pool and an assumed-role session for each run. A run's close() leaves it open; the
 * service closes them all when it stops (a config change makes new ones for changed settings).
 */
final class SharedDestinations implements AutoCloseable {
  private final Function<DestinationConfig, Destination> connect;
  private final Map<DestinationConfig, Destination> open = new ConcurrentHashMap<>();

  SharedDestinations(Function<DestinationConfig, Destination> connect) {
    this.connect = connect;
  }

  /** The destination of {@code config}, connected on first use; closing it does nothing. */
  Destination borrow(DestinationConfig config) {
    Destination shared = open.computeIfAbsent(config, connect);
    return new ForwardingDestination(shared) {
      @Override
      public void close() {
        // shared: closed with the service
      }
    };
  }

  @Override
  public void close() {
    List<Destination> all = new ArrayList<>(open.values());
    open.clear();
    for (Destination d : all) {
      try {
        d.close();
      } catch (RuntimeException e) {
        // closing at stop: nothing more to do
      }
    }
  }
}
