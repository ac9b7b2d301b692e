package io.rowstream.store.duckdb;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import io.rowstream.history.RejectedRow;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Staged;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.source.ModelCursor;
import io.rowstream.state.Ack;
import io.rowstream.state.SyncIdentity;
import io.rowstream.state.SyncLease;
import io.rowstream.store.SyncStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBConnection;

/**
 * The delivered state of one sync in an embedded DuckDB file ({@code STATE_DIR/SYNC.duckdb}), and
 * the store its plans run in: DuckDB plans spilling to disk, so a model of any size plans in
 * bounded memory, and a DuckDB model file is planned in place. The run history is elsewhere ({@code
 * store.sqlite}): DuckDB lets no other process read a file that a writer holds.
 *
 * <p>Commit contract, in order:
 *
 * <ol>
 *   <li>{@link #open} takes the file's lock (one process per sync) and merges acknowledgements a
 *       killed run left behind, so they count as delivered.
 *   <li>{@link #stage} reads the model into a temporary table; {@link #plan} compares it with the
 *       delivered state; {@link #events} streams the events.
 *   <li>{@link #ack} durably appends acknowledged rows (one commit per call), so a row's state
 *       advances only after Kinesis acknowledged it, and a kill at any instant loses nothing.
 *   <li>{@link #mergeAcks} folds the acknowledgements into the delivered state in one transaction.
 * </ol>
 */
public final class DuckDbState implements SyncStore {
  /** DuckDB's working memory for planning; beyond it, it spills to STATE_DIR/tmp. */
  public static final String DEFAULT_MEMORY_LIMIT = "1GB";

  /**
   * How much write-ahead log DuckDB gathers before it checkpoints. A 1M-row backfill writes ~207 MB
   * of log (acknowledgements, and then its calls): DuckDB's 16 MB default checkpointed it about 13
   * times while sending, each time holding up the acknowledgements (and so the producer's request
   * slots) for up to a second; with 256 MB it checkpoints once, when the state is closed.
   */
  static final String CHECKPOINT_THRESHOLD = "256MB";

  /** The in-memory catalog of the in-place planner's tables, shared by this store's connections. */
  static final String SCRATCH = "rowstream_plan";

  private final String sync;

  /** Plans in temporary tables and streams the events; temporary tables are per connection. */
  private final DuckDBConnection connection;

  /** Writes acknowledgements, rejections and runs while {@link #connection} streams events. */
  private final DuckDBConnection writer;

  /** The temporary folder of an in-memory state, deleted at close; null otherwise. */
  private final Path ownSpill;

  /** The acknowledgements, folded into the delivered state: see {@link AckLog}. */
  private final AckLog ackLog;

  /** The delivered rows: see {@link DeliveredRows}. */
  private final DeliveredRows deliveredRows;

  /** Whether a run completed, and what it delivered to: see {@link StateMeta}. */
  private final StateMeta meta;

  /** The model and scratch catalogs attached for planning in place: see {@link ModelCatalogs}. */
  private final ModelCatalogs catalogs;

  /** Stages and plans: see {@link DuckDbPlanner}. */
  private final DuckDbPlanner planner;

  /** Stages a DuckDB model file in place for {@link #planner}. */
  private final InPlaceStaging inPlace;

  DuckDbState(String sync, DuckDBConnection connection, Path ownSpill) throws SQLException {
    this.sync = sync;
    this.connection = connection;
    this.ownSpill = ownSpill;
    this.writer = (DuckDBConnection) connection.duplicate();
    this.ackLog = new AckLog(this, writer, this);
    this.deliveredRows = new DeliveredRows(this, connection, writer);
    this.meta = new StateMeta(this, connection, writer);
    this.catalogs = new ModelCatalogs(this, connection);
    this.planner = new DuckDbPlanner(this, connection);
    this.inPlace = new InPlaceStaging(this, planner, connection);
  }

  /**
   * Opens (creating if needed) the state of {@code sync} under {@code dir} to change it. The file's
   * lock is the sync's lease: one process at a time.
   */
  public static DuckDbState open(Path dir, String sync) {
    return StateFileOpener.open(dir, sync);
  }

  /**
   * Opens the state of {@code sync} to plan without changing it ({@code rowstream plan}): the file
   * read-only, or, for a sync that never ran, an empty state in memory; creates no file in the
   * state folder. Fails (clearly) while a run of the sync holds the state.
   */
  public static DuckDbState openReadOnly(Path dir, String sync) {
    return StateFileOpener.openReadOnly(dir, sync);
  }

  /** The DuckDB file of {@code sync}'s delivered state under {@code dir}. */
  public static Path file(Path dir, String sync) {
    return dir.resolve(sync + ".duckdb");
  }

  void createSchema() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "create table if not exists delivered (pk varchar not null, h bigint not null,"
              + " row varchar not null, ki bigint)");
      s.execute(
          "create table if not exists acks (seq bigint, pk varchar not null, op varchar not null, h bigint, row varchar)");
      s.execute("create table if not exists meta (key varchar primary key, value varchar)");
    }
    if (!DeliveredKeys.present(connection, catalogs.currentDatabase())) {
      transaction(connection, DeliveredKeys.migration());
    }
  }

  /** A run killed before its end left acknowledgements behind: they count as delivered. */
  void recover() {
    mergeAcks();
  }

  @Override
  public String sync() {
    return sync;
  }

  /** Whether this state was opened to plan without changing anything ({@code rowstream plan}). */
  boolean readOnly() {
    return ownSpill != null;
  }

  /** The file's lock, held until close; a read-only state holds none. */
  @Override
  public Optional<SyncLease> lease() {
    if (ownSpill != null) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncLease() {
          @Override
          public String sync() {
            return sync;
          }

          @Override
          public boolean held() {
            try {
              return !connection.isClosed();
            } catch (SQLException e) {
              return false;
            }
          }
        });
  }

  /** Whether a run of this sync has completed before: decides {@code initial_sync}. */
  @Override
  public boolean initialized() {
    return meta.initialized();
  }

  @Override
  public void markInitialized() {
    meta.markInitialized();
  }

  @Override
  public Staged stage(ModelCursor cursor, LongConsumer progress) {
    return planner.stage(cursor, progress);
  }

  /**
   * Stages a DuckDB model in place: attaches its file read-only, fingerprints every row in SQL,
   * compares the fingerprints with the delivered state, and reads and encodes through {@code
   * ModelCursor} only the rows that need their values: added and changed ones (every row on a first
   * run or when the fingerprint scheme changed). Empty, having staged nothing, when the model
   * cannot be planned in place (the caller then uses {@link #stage}); a query that fails here is
   * left to that path to report.
   */
  @Override
  public Optional<Staged> stageInPlace(InPlaceModel model, LongConsumer progress) {
    return inPlace.stage(model, progress);
  }

  /** The fingerprint scheme of a model planned in place. */
  String scheme(InPlaceSql columns) throws SQLException {
    return inPlace.scheme(columns);
  }

  /** Plans a DuckDB model in place and streams its events: see {@link InPlaceStream}. */
  @Override
  public Optional<StreamedPlan> streamInPlace(InPlaceModel model, LongConsumer progress) {
    requireNonNull(model, "model is null");
    return InPlaceStream.open(this, model, progress);
  }

  /** Compares the staged model with the delivered state. */
  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    return planner.plan(rowsQueried, nullKeys);
  }

  /** A model staged row by row is compared as its events are read: see {@link DuckDbPlanner}. */
  @Override
  public StreamedPlan streamStaged(Staged staged) {
    return planner.streamStaged(staged);
  }

  /** Records the planner's fingerprint scheme: see {@link DuckDbPlanner#adoptFingerprints}. */
  @Override
  public void adoptFingerprints() {
    planner.adoptFingerprints();
  }

  /** The scheme the delivered fingerprints are in; none while nothing was delivered. */
  Optional<String> storedScheme() throws SQLException {
    return planner.storedScheme();
  }

  @Override
  public List<DuplicateKey> duplicateKeys() {
    return planner.duplicateKeys();
  }

  @Override
  public EventStream events() {
    return planner.events();
  }

  /** Initial sync {@code skip}: the model becomes the delivered state, nothing is sent. */
  @Override
  public void recordBaseline() {
    planner.recordBaseline();
  }

  /**
   * Durably records rows whose events were acknowledged; their state advances at the next {@link
   * #mergeAcks}. Safe to call from several threads.
   */
  @Override
  public synchronized void ack(List<Ack> acks) {
    ackLog.append(acks);
  }

  /** Folds acknowledged rows into the delivered state, in one transaction. */
  @Override
  public synchronized void mergeAcks() {
    ackLog.mergeAll();
  }

  /**
   * Folds the acknowledgements recorded so far without holding up {@link #ack}: see {@link
   * AckLog#mergeSoFar}.
   */
  @Override
  public void mergeAcksSoFar() {
    ackLog.mergeSoFar();
  }

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    return deliveredRows.delivered(key);
  }

  @Override
  public Optional<SyncIdentity> identity() {
    return meta.identity();
  }

  @Override
  public void recordIdentity(SyncIdentity identity) {
    meta.recordIdentity(identity);
  }

  @Override
  public synchronized long forget(Optional<Collection<String>> keys) {
    return deliveredRows.forget(keys);
  }

  /** A run of the history an older Rowstream kept in this file, with its rejected rows. */
  public record LegacyRun(
      String runId,
      String startedAt,
      Optional<String> finishedAt,
      String status,
      Optional<String> summaryJson,
      List<RejectedRow> rejections) {}

  /**
   * The run history an older Rowstream kept in this file (tables runs and rejections), to move to
   * the history's own file; empty when there is none.
   */
  public List<LegacyRun> legacyRuns() {
    return new LegacyHistory(this, connection, writer).runs();
  }

  /** Drops the run history tables an older Rowstream kept in this file (once moved). */
  public void dropLegacyHistory() {
    new LegacyHistory(this, connection, writer).drop();
  }

  @Override
  public long deliveredCount() {
    return deliveredRows.count();
  }

  @Override
  public synchronized void close() {
    catalogs.dropScratch();
    // everything acknowledged was committed by ack(); nothing else is pending
    DuckDb.closeQuietly(writer);
    DuckDb.closeQuietly(connection);
    if (ownSpill != null) {
      try (var files = Files.walk(ownSpill)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a temporary folder: the system cleans it up
      }
    }
  }

  void transaction(Connection on, List<String> statements) {
    try {
      on.setAutoCommit(false);
      try (Statement s = on.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
        on.commit();
      } catch (SQLException e) {
        on.rollback();
        throw e;
      } finally {
        on.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed("updating", e);
    }
  }

  void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw failed("updating", e);
    }
  }

  RowstreamException failed(String doing, SQLException e) {
    return RowstreamException.fatal(
        "error " + doing + " the state of sync " + sync + ": " + DuckDb.firstLine(e.getMessage()),
        e);
  }

  /** The model and scratch catalogs of the in-place planner. */
  ModelCatalogs catalogs() {
    return catalogs;
  }

  /** The connection plans run on (temporary tables are per connection). */
  DuckDBConnection connection() {
    return connection;
  }

  /**
   * A streamed plan ({@link InPlaceStream}) was opened: what {@link #duplicateKeys} and {@link
   * #adoptFingerprints} read; {@code keys} holds the NULL (pk null) and duplicated keys, with how
   * many rows hold each (pk, n).
   */
  void streamed(String scheme, String keys) {
    planner.streamed(scheme, keys);
  }

  long count(String from) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
