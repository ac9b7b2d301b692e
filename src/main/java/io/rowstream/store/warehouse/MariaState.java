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

  /** Rows per batch when a baseline is recorded (all of it in one transaction). */
  private static final int BASELINE_BATCH = 2_000;

  private final SourceConfig source;
  private final String sync;
  private final MariaTables tables;
  private final boolean readOnly;
  private final Connection planner;

  /** Writes acknowledgements and meta; null when read-only. */
  private final Connection writer;

  private final boolean tablesExist;

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
    this.sync = sync;
    this.tables = tablesOf(source, sync);
    this.readOnly = readOnly;
    this.planner = planner;
    this.writer = writer;
    this.tablesExist = tablesExist;
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
    return sync;
  }

  @Override
  public Optional<SyncLease> lease() {
    if (readOnly) {
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
              return planner.isValid(5);
            } catch (SQLException e) {
              return false;
            }
          }
        });
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
    planning = MariaPlan.stage(source, tables, readOnly, planner, delivered(), model);
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

  /** As {@link WarehouseState#recordBaseline}: every planned row in one transaction. */
  @Override
  public void recordBaseline() {
    requireWritable();
    synchronized (this) {
      try (EventStream events = events()) {
        writer.setAutoCommit(false);
        try (PreparedStatement insert = writer.prepareStatement(insertAck())) {
          int batched = 0;
          while (events.hasNext()) {
            bind(insert, events.next().ack());
            if (++batched == BASELINE_BATCH) {
              insert.executeBatch();
              batched = 0;
            }
          }
          if (batched > 0) {
            insert.executeBatch();
          }
          writer.commit();
        } catch (SQLException | RuntimeException e) {
          writer.rollback();
          throw e;
        } finally {
          writer.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw errors().failed("recording the baseline in", e);
      }
    }
    mergeAcks();
  }

  @Override
  public boolean initialized() {
    return readMeta("initialized").isPresent();
  }

  @Override
  public void markInitialized() {
    writeMeta("initialized", "true");
  }

  /**
   * One batched INSERT, committed before it returns: then the acks are durable in the warehouse.
   */
  @Override
  public synchronized void ack(List<Ack> acks) {
    if (acks.isEmpty()) {
      return;
    }
    requireWritable();
    try {
      writer.setAutoCommit(false);
      try (PreparedStatement insert = writer.prepareStatement(insertAck())) {
        for (Ack ack : acks) {
          bind(insert, ack);
        }
        insert.executeBatch();
        writer.commit();
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors().failed("recording acknowledged rows in", e);
    }
  }

  private String insertAck() {
    return "insert into " + tables.acks() + " (k, op, fp, `row`) values (?, ?, ?, ?)";
  }

  private static void bind(PreparedStatement insert, Ack ack) throws SQLException {
    insert.setString(1, ack.key());
    insert.setString(2, ack.type().label());
    if (ack.row() == null) {
      insert.setNull(3, java.sql.Types.BIGINT);
      insert.setNull(4, java.sql.Types.LONGVARCHAR);
    } else {
      insert.setLong(3, ack.fingerprint());
      insert.setString(4, ack.row());
    }
    insert.addBatch();
  }

  /**
   * Folds the acknowledgements up to the last sequence number seen into the delivered table, in one
   * transaction: each key's last acknowledgement wins, a removal removes. Acks committed meanwhile
   * by the senders have higher numbers and wait for the next fold.
   *
   * <p>No grouping by key (a million keys made a grouped fold spill to disk): the acks are upserted
   * in sequence order, so a later one overwrites an earlier one, a removal as an empty row (never a
   * delivered row's JSON), and then the keys whose last acknowledgement was a removal are deleted.
   */
  @Override
  public synchronized void mergeAcks() {
    requireWritable();
    try {
      long last = Jdbc.longOf(writer, "select coalesce(max(seq), 0) from " + tables.acks());
      if (last == 0) {
        return;
      }
      transaction(
          List.of(
              "insert into "
                  + tables.delivered()
                  + " (k, fp, `row`) select k, coalesce(fp, 0), if(op = 'removed', '', `row`) from "
                  + tables.acks()
                  + " where seq <= "
                  + last
                  + " order by seq on duplicate key update fp = values(fp), `row` = values(`row`)",
              "delete d from "
                  + tables.delivered()
                  + " d join "
                  + tables.acks()
                  + " a on a.k = d.k where a.seq <= "
                  + last
                  + " and a.op = 'removed' and d.`row` = ''",
              "delete from " + tables.acks() + " where seq <= " + last));
    } catch (SQLException e) {
      throw errors().failed("merging acknowledged rows in", e);
    }
  }

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s =
        readConnection()
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
      return Jdbc.longOf(readConnection(), "select count(*) from " + delivered() + " d");
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    }
  }

  @Override
  public Optional<SyncIdentity> identity() {
    Optional<String> stream = readMeta("stream");
    Optional<String> key = readMeta("primary_key");
    return stream.isPresent() && key.isPresent()
        ? Optional.of(new SyncIdentity(stream.get(), key.get()))
        : Optional.empty();
  }

  @Override
  public void recordIdentity(SyncIdentity identity) {
    writeMeta("stream", identity.stream());
    writeMeta("primary_key", identity.primaryKey());
  }

  @Override
  public synchronized long forget(Optional<Collection<String>> keys) {
    requireWritable();
    try {
      writer.setAutoCommit(false);
      try {
        long n = 0;
        if (keys.isEmpty()) {
          try (PreparedStatement s = writer.prepareStatement("delete from " + tables.delivered())) {
            n = s.executeUpdate();
          }
        } else {
          try (PreparedStatement s =
              writer.prepareStatement("delete from " + tables.delivered() + " where k = ?")) {
            for (String key : keys.get()) {
              s.setString(1, key);
              n += s.executeUpdate();
            }
          }
        }
        writer.commit();
        return n;
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors().failed("forgetting delivered rows in", e);
    }
  }

  /** Closes without merging: the next open folds in what was acknowledged. */
  @Override
  public synchronized void close() {
    Jdbc.closeQuietly(writer);
    if (!readOnly) {
      // released here, not left to the session's end: the server ends a closed session after the
      // client has gone on, and a reopening right away could find the lease still held
      try {
        Jdbc.execute(planner, "do release_lock(" + MariaDb.literal(tables.leaseName()) + ")");
      } catch (SQLException ignored) {
        // the session is gone, and the lock with it
      }
    }
    // closing the session drops the temporary plan (and the lease, if it is still held)
    Jdbc.closeQuietly(planner);
  }

  private Optional<String> readMeta(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s =
        readConnection()
            .prepareStatement("select value from " + tables.meta() + " where `key` = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    }
  }

  private synchronized void writeMeta(String key, String value) {
    requireWritable();
    try (PreparedStatement s =
        writer.prepareStatement(
            "insert into "
                + tables.meta()
                + " (`key`, value) values (?, ?) on duplicate key update value = values(value)")) {
      s.setString(1, key);
      s.setString(2, value);
      s.executeUpdate();
    } catch (SQLException e) {
      throw errors().failed("updating", e);
    }
  }

  /** The writer while there is one (it sees every commit at once), else the read-only planner. */
  private Connection readConnection() {
    return writer != null ? writer : planner;
  }

  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("the state of sync " + sync + " was opened read-only");
    }
  }

  private void transaction(List<String> statements) throws SQLException {
    writer.setAutoCommit(false);
    try {
      for (String statement : statements) {
        Jdbc.execute(writer, statement);
      }
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    } finally {
      writer.setAutoCommit(true);
    }
  }
}
