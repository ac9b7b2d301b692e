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
 * {@link WarehouseState} for a MariaDB (or MySQL) source: the same tables in the planner database,
 * the same plan as one set-based statement (see {@link MariaSql}), the same guarantees.
 *
 * <p>The lease is a GET_LOCK lock held by the planner's connection: a killed process's connection
 * closes and the lock goes with it. Acknowledgements are committed by one batched INSERT
 * transaction each on a second connection before they count (the {@link DeliveredState} contract),
 * and folded in by {@link #mergeAcks} in one transaction up to the last sequence number it saw, or
 * by the next open after a kill. The planner's connection stays in autocommit: the driver streams
 * the planned rows with a fetch size, no transaction needed.
 */
public final class MariaState implements SyncStore {
  /** The scheme of the fingerprints this store records (see {@link MariaSql}). */
  static final String SCHEME = "mariadb-md5-quote-v1";

  private final SourceConfig source;
  private final MariaTables tables;
  private final StateSessions sessions;
  private final boolean tablesExist;
  private final StateMeta meta;

  /** The delivered keys' writes; null when read-only. */
  private final MariaJournal journal;

  /** The last plan; null before {@link #stageInWarehouse}. */
  private MariaPlan planning;

  private MariaState(
      SourceConfig source,
      String sync,
      boolean readOnly,
      Connection planner,
      Connection writer,
      boolean tablesExist) {
    this.source = source;
    this.tables = tablesOf(source, sync);
    this.sessions = new StateSessions(sync, readOnly, planner, writer);
    this.tablesExist = tablesExist;
    this.meta = StateMeta.maria(sessions, errors(), tablesExist, tables);
    this.journal = writer == null ? null : new MariaJournal(tables, errors(), writer);
  }

  private static MariaTables tablesOf(SourceConfig source, String sync) {
    return new MariaTables(new PlannerTables(source.planning().schema(), sync));
  }

  /**
   * Opens the state of {@code sync} in {@code source}'s planner database to change it, creating the
   * database and tables if needed, taking the sync's lease and folding in what a killed run left.
   */
  public static MariaState open(SourceConfig source, String sync) {
    requireNonNull(source, "source is null");
    requireNonNull(sync, "sync is null");
    MariaTables tables = tablesOf(source, sync);
    Connection planner = MariaDb.connect(source);
    Connection writer = null;
    try {
      MariaDb.requireMariaDb(planner, source);
      if (!Jdbc.exists(
          planner, "select get_lock(" + MariaDb.literal(tables.leaseName()) + ", 0)")) {
        throw RowstreamException.fatal(
            ErrorCode.STATE_LOCKED,
            "the state of sync "
                + sync
                + " in database "
                + tables.database()
                + " of source "
                + source.name()
                + " is in use by another rowstream process; one process works on a sync at a time");
      }
      MariaSchema.create(planner, tables);
      writer = MariaDb.connect(source);
      MariaState state = new MariaState(source, sync, false, planner, writer, true);
      state.mergeAcks();
      return state;
    } catch (SQLException e) {
      Jdbc.closeQuietly(writer);
      Jdbc.closeQuietly(planner);
      throw new WarehouseErrors(source, tables.names()).failed("opening", e);
    } catch (RuntimeException e) {
      Jdbc.closeQuietly(writer);
      Jdbc.closeQuietly(planner);
      throw e;
    }
  }

  /**
   * Opens the state of {@code sync} to plan without changing anything in the warehouse ({@code
   * rowstream plan}): a read-only session that creates no database, table or temporary table.
   */
  public static MariaState openReadOnly(SourceConfig source, String sync) {
    requireNonNull(source, "source is null");
    requireNonNull(sync, "sync is null");
    MariaTables tables = tablesOf(source, sync);
    Connection planner = MariaDb.connect(source);
    try {
      MariaDb.requireMariaDb(planner, source);
      planner.setReadOnly(true);
      boolean exist =
          MariaDb.tableExists(planner, tables.database(), tables.names().name("delivered"))
              && MariaDb.tableExists(planner, tables.database(), tables.names().name("meta"));
      return new MariaState(source, sync, true, planner, null, exist);
    } catch (SQLException e) {
      Jdbc.closeQuietly(planner);
      throw new WarehouseErrors(source, tables.names()).failed("opening", e);
    } catch (RuntimeException e) {
      Jdbc.closeQuietly(planner);
      throw e;
    }
  }

  @Override
  public String sync() {
    return sessions.sync();
  }

  @Override
  public Optional<SyncLease> lease() {
    return sessions.lease();
  }

  private WarehouseErrors errors() {
    return new WarehouseErrors(source, tables.names());
  }

  private String delivered() {
    return tablesExist ? tables.delivered() : MariaSql.NOTHING_DELIVERED;
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

  /** Plans the model inside MariaDB (see {@link MariaPlan}). */
  @Override
  public Optional<Staged> stageInWarehouse(WarehouseModel model, LongConsumer progress) {
    planning =
        MariaPlan.stage(
            source, tables, sessions.readOnly(), sessions.planner(), delivered(), model);
    PlanCounts counts = planning.counts();
    progress.accept(counts.rowsQueried());
    return Optional.of(new Staged(counts.rowsQueried(), counts.nullKeys(), planning.columns()));
  }

  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    return planned().counts();
  }

  @Override
  public List<DuplicateKey> duplicateKeys() {
    return planned().duplicateKeys();
  }

  @Override
  public EventStream events() {
    return planned().events();
  }

  private MariaPlan planned() {
    if (planning == null) {
      throw new IllegalStateException("the plan is read before stageInWarehouse()");
    }
    return planning;
  }

  @Override
  public void adoptFingerprints() {
    writeMeta("fingerprint", SCHEME);
  }

  /** As {@link WarehouseState#recordBaseline} (see {@link MariaJournal#recordBaseline}). */
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

  /** See {@link MariaJournal#ack}. */
  @Override
  public synchronized void ack(List<Ack> acks) {
    if (acks.isEmpty()) {
      return;
    }
    sessions.requireWritable();
    journal.ack(acks);
  }

  /** See {@link MariaJournal#mergeAcks}. */
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
            .prepareStatement("select `row`, fp from " + tables.delivered() + " where k = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new DeliveredRow(key, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    }
  }

  @Override
  public long deliveredCount() {
    try {
      return Jdbc.longOf(sessions.readConnection(), "select count(*) from " + delivered() + " d");
    } catch (SQLException e) {
      throw errors().failed("reading", e);
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
      // released here, not left to the session's end: the server ends a closed session after the
      // client has gone on, and a reopening right away could find the lease still held
      try {
        Jdbc.execute(
            sessions.planner(), "do release_lock(" + MariaDb.literal(tables.leaseName()) + ")");
      } catch (SQLException ignored) {
        // the session is gone, and the lock with it
      }
    }
    // closing the session drops the temporary plan (and the lease, if it is still held)
    Jdbc.closeQuietly(sessions.planner());
  }

  /** Under the state's lock, as every use of the writer's session. */
  private synchronized void writeMeta(String key, String value) {
    meta.write(key, value);
  }
}
