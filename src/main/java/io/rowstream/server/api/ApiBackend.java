package io.rowstream.server.api;

import io.rowstream.alerts.AlertState;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.schedule.Scheduler;
import java.util.List;

/**
 * What the HTTP API needs of the running service. The service implements it; the API holds no state
 * of its own.
 */
public interface ApiBackend {
  /** The config in force (the last one that validated). */
  RowstreamConfig config();

  /** Whether the config file as it is now is the one in force, or why not. */
  ConfigState configState();

  /** Reads the config file again; applies it only if it validates. */
  ConfigState reload();

  Scheduler scheduler();

  RunHistory history();

  /** A sync's alert state (each trigger's level and since when); empty when none is kept. */
  default AlertState alertState(String sync) {
    return AlertState.EMPTY;
  }

  /** The metrics in Prometheus' text format. */
  String scrape();

  /**
   * The config file's state: {@code ok}, or {@code invalid} with the problems (the old config still
   * runs).
   */
  record ConfigState(boolean ok, String loadedAt, String checkedAt, List<String> problems) {
    public ConfigState {
      problems = List.copyOf(problems);
    }
  }
}
