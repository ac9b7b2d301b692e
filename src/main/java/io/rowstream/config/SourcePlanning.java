package io.rowstream.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a source's models are planned: {@code local} (the default) compares the rows in Rowstream's
 * own state; {@code warehouse} compares them inside the source database, keeping the delivered keys
 * and fingerprints in {@code schema} there.
 */
public record SourcePlanning(Mode mode, String schema) {
  /** The schema the warehouse planner keeps its tables in, unless {@code planner_schema} says. */
  public static final String DEFAULT_SCHEMA = "rowstream_planner";

  /** Today's behaviour: planning in the sync's local state. */
  public static final SourcePlanning LOCAL = new SourcePlanning(Mode.LOCAL, DEFAULT_SCHEMA);

  /** Where the diff runs. */
  public enum Mode {
    LOCAL,
    WAREHOUSE
  }

  public SourcePlanning {
    requireNonNull(mode, "mode is null");
    requireNonNull(schema, "schema is null");
  }

  public boolean inWarehouse() {
    return mode == Mode.WAREHOUSE;
  }
}
