package io.rowstream.plan;

import io.rowstream.source.ModelCursor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Where a sync's model is compared with its delivered state: the store that holds the delivered
 * state also plans, so the comparison runs where the delivered rows are (and spills to disk). A
 * {@link Planner} from {@link Planners} decides how the model gets there.
 *
 * <p>Lifecycle of one plan, in order: one of the stage methods; {@link #plan}; then any of {@link
 * #duplicateKeys}, {@link #events}, {@link #adoptFingerprints} (a run that may change the state,
 * once) and {@link #recordBaseline} (initial sync {@code skip}).
 */
public interface PlanningStore {
  /**
   * Reads every row of the cursor into the store, fingerprinting each row's JSON text. Rows without
   * a primary key are counted, not staged.
   */
  Staged stage(ModelCursor cursor, LongConsumer progress);

  /**
   * Stages a model that is a DuckDB file without reading every row through Java: fingerprints in
   * SQL, reads and encodes only the rows to send. Empty, having staged nothing, when the store
   * cannot plan this model in place (the caller then uses {@link #stage}).
   */
  Optional<Staged> stageInPlace(InPlaceModel model, LongConsumer progress);

  /**
   * Stages a model that the store plans inside the source database itself ({@code planning:
   * warehouse}): fingerprints by SQL there, nothing read through Java until {@link #events}. Empty
   * when this store cannot (it keeps its state elsewhere).
   */
  default Optional<Staged> stageInWarehouse(WarehouseModel model, LongConsumer progress) {
    return Optional.empty();
  }

  /** Compares the staged model with the delivered state. */
  PlanCounts plan(long rowsQueried, long nullKeys);

  /** The duplicated primary keys of the last plan, with how many rows hold each. */
  List<DuplicateKey> duplicateKeys();

  /** Streams the planned events. */
  EventStream events();

  /**
   * Records the plan's fingerprint scheme; when it changed, the rows found unchanged take their new
   * fingerprints in the same transaction.
   */
  void adoptFingerprints();

  /** Initial sync {@code skip}: the planned model becomes the delivered state, nothing is sent. */
  void recordBaseline();

  /** A model planned inside its own database: its query and its primary key column. */
  record WarehouseModel(String sourceName, String query, String primaryKey) {
    public WarehouseModel {
      java.util.Objects.requireNonNull(sourceName, "sourceName is null");
      java.util.Objects.requireNonNull(query, "query is null");
      java.util.Objects.requireNonNull(primaryKey, "primaryKey is null");
    }
  }

  /** A DuckDB model file, its query and its primary key column, as the source names it. */
  record InPlaceModel(String sourceName, Path file, String query, String primaryKey) {
    public InPlaceModel {
      java.util.Objects.requireNonNull(sourceName, "sourceName is null");
      java.util.Objects.requireNonNull(file, "file is null");
      java.util.Objects.requireNonNull(query, "query is null");
      java.util.Objects.requireNonNull(primaryKey, "primaryKey is null");
    }
  }
}
