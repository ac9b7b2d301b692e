package io.rowstream.plan;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.source.ModelCursor;
import io.rowstream.source.Source;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place that chooses how a sync's model is planned, from its source and its store: a DuckDB
 * model in a file is planned in place (inside the store, only changed rows read through Java),
 * every other model, or one that cannot be, row by row from its JSON text; a source with {@code
 * planning: warehouse} inside its own database, by a store that keeps its state there.
 */
public final class Planners {
  private Planners() {}

  public static Planner forSync(SourceConfig source, SyncConfig sync, PlanningStore store) {
    requireNonNull(source, "source is null");
    requireNonNull(sync, "sync is null");
    requireNonNull(store, "store is null");
    if (source.planning().inWarehouse()) {
      return warehouse(source, sync, store);
    }
    Optional<Path> file =
        source.type() == SourceConfig.Type.DUCKDB
            ? source.path().filter(p -> !p.equals(":memory:")).map(Path::of)
            : Optional.empty();
    if (file.isEmpty()) {
      return rowText(source, sync, store);
    }
    PlanningStore.InPlaceModel model =
        new PlanningStore.InPlaceModel(source.name(), file.get(), sync.query(), sync.primaryKey());
    return (checkColumns, progress) -> {
      Optional<Staged> staged = store.stageInPlace(model, progress);
      if (staged.isEmpty()) {
        return rowText(source, sync, store).plan(checkColumns, progress);
      }
      checkColumns.accept(staged.get().columns());
      return store.plan(staged.get().rows(), staged.get().nullKeys());
    };
  }

  /** Fingerprints and compares inside the source database; only rows to send leave it. */
  private static Planner warehouse(SourceConfig source, SyncConfig sync, PlanningStore store) {
    PlanningStore.WarehouseModel model =
        new PlanningStore.WarehouseModel(source.name(), sync.query(), sync.primaryKey());
    return (checkColumns, progress) -> {
      Staged staged =
          store
              .stageInWarehouse(model, progress)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "source "
                              + source.name()
                              + " plans in the warehouse, but sync "
                              + sync.name()
                              + "'s state is not kept there"));
      checkColumns.accept(staged.columns());
      return store.plan(staged.rows(), staged.nullKeys());
    };
  }

  /**
   * Reads and encodes every row of the model through its JDBC source. Package-private for the
   * planner contract test, which runs against both planners.
   */
  static Planner rowText(SourceConfig source, SyncConfig sync, PlanningStore store) {
    return (checkColumns, progress) -> {
      Staged staged;
      try (Source connected = Source.connect(source);
          ModelCursor cursor = connected.open(sync.query(), sync.primaryKey())) {
        checkColumns.accept(cursor.columns());
        staged = store.stage(cursor, progress);
      }
      return store.plan(staged.rows(), staged.nullKeys());
    };
  }
}
