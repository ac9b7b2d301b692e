package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Staged;
import io.rowstream.source.ModelCursor;
import io.rowstream.state.Ack;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.SyncIdentity;
import io.rowstream.state.SyncLease;
import io.rowstream.store.SyncStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A sync's delivered state and planner kept inside its PostgreSQL source ({@code planning:
 * warehouse}), in the planner schema: the delivered keys with their fingerprints and JSON, the
 * acknowledgements not yet folded in ({@link PgJournal}), and meta ({@link StateMeta}). The model
 * is fingerprinted and compared by SQL there ({@link PgPlan}); only the rows to send are read,
 * through a server-side cursor.
 *
 * <p>The lease is a session advisory lock held by the planner's connection: a killed process's
 * connection closes and the lock goes with it. Acknowledgements are committed by one COPY each on a
 * second connection before they count (the {@link DeliveredState} contract), and folded in by
 * {@link #mergeAcks} in one transaction, or by the next open after a kill.
 */
public final class WarehouseState implements SyncStore {
  /** The scheme of the fingerprints this store records (see {@link PlanSql}). */
  static final String SCHEME = "pg-column-hash-v2";

  private final SourceConfig source;
  private final PlannerTables tables;
  private final StateSessions sessions;

  /** Whether the sync's tables exist (a dry run of a sync that never ran sees none). */
  private final boolean tablesExist;

  private final StateMeta meta;

  /** The delivered keys' writes; null when read-only. */
  private final PgJournal journal;

  /** The last plan; null before {@link #stageInWarehouse}. */
  private PgPlan planning;

  private WarehouseState(
      SourceConfig source,
      String sync,
      boolean readOnly,
      Connection planner,
      Connection writer,
      boolean tablesExist) {
    this.source = source;
    this.tables = new PlannerTables(source.planning().schema(), sync);
    this.sessions = new StateSessions(sync, readOnly, planner, writer);
    this.tablesExist = tablesExist;
    this.meta = StateMeta.postgres(sessions, errors(), tablesExist, tables);
    this.journal = writer == null ? null : new PgJournal(tables, errors(), writer);
  }

  /**
   * Opens the state of {@code sync} in {@code source}'s planner schema to change it, creating the
   * schema and tables if needed, taking the sync's lease and folding in what a killed run left.
   */
  public static WarehouseState open(SourceConfig source, String sync) {
    requireNonNull(source, "source is null");
    requireNonNull(sync, "sync is null");
    PlannerTables tables = new PlannerTables(source.planning().schema(), sync);
    Connection planner = Pg.connect(source);
    Connection writer = null;
    try {
      if (!Jdbc.exists(planner, "select pg_try_advisory_lock(" + tables.leaseKey() + ")")) {
        throw RowstreamException.fatal(
            ErrorCode.STATE_LOCKED,
            "the state of sync "
                + sync
                + " in schema "
                + tables.schema()
                + " of source "
                + source.name()
                + " is in use by another rowstream process; one process works on a sync at a time");
      }
      Schema.create(planner, source, tables);
      writer = Pg.connect(source);
      WarehouseState state = new WarehouseState(source, sync, false, planner, writer, true);
      state.mergeAcks();
      return state;
    } catch (SQLException e) {
      Jdbc.closeQuietly(writer);
      Jdbc.closeQuietly(planner);
      throw new WarehouseErrors(source, tables).failed("opening", e);
    } catch (RuntimeException e) {
      Jdbc.closeQuietly(writer);
      Jdbc.closeQuietly(planner);
      throw e;
    }
  }

  /**
   * Opens the state of {@code sync} to plan without changing anything in the warehouse ({@code
   * rowstream plan}): a read-only session that creates no schema, table or temporary table; a sync
   * that never ran is planned against nothing delivered.
   */
  public static WarehouseState openReadOnly(SourceConfig source, String sync) {
    requireNonNull(source, "source is null");
    requireNonNull(sync, "sync is null");
    PlannerTables tables = new PlannerTables(source.planning().schema(), sync);
    Connection planner = Pg.connect(source);
    try {
      planner.setReadOnly(true);
      boolean exist =
          Pg.tableExists(planner, tables.delivered()) && Pg.tableExists(planner, tables.meta());
      return new WarehouseState(source, sync, true, planner, null, exist);
    } catch (SQLException e) {
      Jdbc.closeQuietly(planner);
      throw new WarehouseErrors(source, tables).failed("opening", e);
    }
  }

  @Override
  public String sync() {
    return sessions.sync();
  }

  /** The session advisory lock of the planner's connection; none when opened read-only. */
  @Override
  public Optional<SyncLease> lease() {
    return sessions.lease();
  }

  private WarehouseErrors errors() {
    return new WarehouseErrors(source, tables);
  }

  @Override
  public Staged stage(ModelCursor cursor, LongConsumer progress) {
    throw new UnsupportedOperationException(
        "a warehouse state plans inside the source: use stageInWarehouse");
  }

  @Override
  public Optional<Staged> stageInPlace(InPlaceModel model, LongConsumer progress) {
    return Optional.empty();
  }

  /**
   * Plans the model inside PostgreSQL (see {@link PgPlan}). A run keeps the keys to act on in a
   * temporary table; a dry run, which may create nothing, evaluates the plan again where it needs
   * it.
   */
  @Override
  public Optional<Staged> stageInWarehouse(WarehouseModel model, LongConsumer progress) {
    planning = PgPlan.stage(source, tables, sessions, tablesExist, model);
    PlanCounts counts = planning.counts();
    progress.accept(counts.rowsQueried());
    return Optional.of(new Staged(counts.rowsQueried(), counts.nullKeys(), planning.columns()));
  }

  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    return planned("plan()").counts();
  }

  @Override
  public List<DuplicateKey> duplicateKeys() {
    return planned("duplicateKeys()").duplicateKeys();
  }

  @Override
  public EventStream events() {
    return planned("events()").events();
  }

  private PgPlan planned(String call) {
    if (planning == null) {
      throw new IllegalStateException(call + " before stageInWarehouse()");
    }
    return planning;
  }

  /** Records the fingerprint scheme (the plan compares fingerprints of its own scheme only). */
  @Override
  public void adoptFingerprints() {
    writeMeta("fingerprint", SCHEME);
  }

  /**
   * Initial sync {@code skip}: the planned model becomes the delivered state, nothing is sent. The
   * rows are read once, as a run would read them, so removals can later be rendered (see {@link
   * PgJournal#recordBaseline}).
   */
  @Override
  public void recordBaseline() {
    sessions.requireWritable();
    synchronized (this) {
      journal.recordBaseline(this::events);
    }
    mergeAcks();
  }

  @Override
  public boolean initialized() {
    return meta.read("initialized").isPresent();
  }

  @Override
  public void markInitialized() {
    writeMeta("initialized", "true");
  }

  @Override
  public synchronized void ack(List<Ack> acks) {
    if (acks.isEmpty()) {
      return;
    }
    sessions.requireWritable();
    journal.ack(acks);
  }

  @Override
  public synchronized void mergeAcks() {
    sessions.requireWritable();
    journal.mergeAcks();
  }

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s =
        sessions
            .readConnection()
            .prepareStatement("select row, fp from " + tables.delivered() + " where k = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new DeliveredRow(key, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    } finally {
      sessions.endRead();
    }
  }

  @Override
  public long deliveredCount() {
    if (!tablesExist) {
      return 0;
    }
    try {
      return new PgDeliveredRows(tables).of(sessions.readConnection());
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    } finally {
      sessions.endRead();
    }
  }

  @Override
  public Optional<SyncIdentity> identity() {
    return meta.identity();
  }

  @Override
  public void recordIdentity(SyncIdentity identity) {
    writeMeta("stream", identity.stream());
    writeMeta("primary_key", identity.primaryKey());
  }

  @Override
  public synchronized long forget(Optional<Collection<String>> keys) {
    sessions.requireWritable();
    return journal.forget(keys);
  }

  /** Closes without merging: the next open folds in what was acknowledged. */
  @Override
  public synchronized void close() {
    Jdbc.closeQuietly(sessions.writer());
    if (!sessions.readOnly()) {
      // released before closing: the server ends a closed session a moment later, and a next open
      // of the sync right away would find the lease still held
      sessions.rollbackPlanner();
      try {
        Jdbc.exists(sessions.planner(), "select pg_advisory_unlock(" + tables.leaseKey() + ")");
      } catch (SQLException ignored) {
        // the session is gone, and its lock with it
      }
    }
    // closing the session drops the temporary plan and releases the lease
    Jdbc.closeQuietly(sessions.planner());
  }

  /** Under the state's lock, as every use of the writer's session. */
  private synchronized void writeMeta(String key, String value) {
    meta.write(key, value);
  }
}
