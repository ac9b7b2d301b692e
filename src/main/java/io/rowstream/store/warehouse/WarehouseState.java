package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.RowHash;
import io.rowstream.plan.Staged;
import io.rowstream.source.KeyColumn;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A sync's delivered state and planner kept inside its PostgreSQL source ({@code planning:
 * warehouse}), in the planner schema: the delivered keys with their fingerprints and JSON, the
 * acknowledgements not yet folded in, and meta. The model is fingerprinted and compared by SQL
 * there; only the rows to send are read, through a server-side cursor.
 *
 * <p>The lease is a session advisory lock held by the planner's connection: a killed process's
 * connection closes and the lock goes with it. Acknowledgements are committed by one COPY each on a
 * second connection before they count (the {@link DeliveredState} contract), and folded in by
 * {@link #mergeAcks} in one transaction, or by the next open after a kill.
 */
public final class WarehouseState implements SyncStore {
  /** The scheme of the fingerprints this store records (see {@link PlanSql}). */
  static final String SCHEME = "pg-column-hash-v2";

  /** The temporary table a run's plan is kept in. */
  private static final String PLAN_TABLE = "pg_temp.rowstream_plan";

  /** The temporary table of keys held by several rows, when there are some. */
  private static final String DUPS_TABLE = "pg_temp.rowstream_dups";

  /** The meta key of how many rows {@code SYNC_delivered} holds, kept by every write to it. */
  private static final String DELIVERED_ROWS = "delivered_rows";

  /**
   * Settings of the plan's transaction only. The planner estimates that the diff's filter keeps
   * most rows (it cannot know how few changed), so a Gather looks costlier than it is and the scan,
   * fingerprints and hash join would run in one process; with these the server's parallel workers
   * ({@code max_parallel_workers_per_gather}) share them (a parallel hash full join, PostgreSQL
   * 16+). Measured: BENCHMARKS.md, "Planning in the warehouse".
   */
  private static final List<String> PLAN_SETTINGS =
      List.of("set local parallel_setup_cost = 0", "set local parallel_tuple_cost = 0");

  private final SourceConfig source;
  private final String sync;
  private final PlannerTables tables;
  private final boolean readOnly;

  /** Plans and streams events; holds the lease. Autocommit off while it plans and streams. */
  private final Connection planner;

  /** Writes acknowledgements and meta; null when read-only. */
  private final Connection writer;

  /** Whether the sync's tables exist (a dry run of a sync that never ran sees none). */
  private final boolean tablesExist;

  private PlanSql sql;
  private String primaryKey;
  private String plan;
  private PlanCounts counts;

  private WarehouseState(
      SourceConfig source,
      String sync,
      boolean readOnly,
      Connection planner,
      Connection writer,
      boolean tablesExist) {
    this.source = source;
    this.sync = sync;
    this.tables = new PlannerTables(source.planning().schema(), sync);
    this.readOnly = readOnly;
    this.planner = planner;
    this.writer = writer;
    this.tablesExist = tablesExist;
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
    return sync;
  }

  /** The session advisory lock of the planner's connection; none when opened read-only. */
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
    return new WarehouseErrors(source, tables);
  }

  private String delivered() {
    return tablesExist ? tables.delivered() : PlanSql.NOTHING_DELIVERED;
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
   * Plans the model inside PostgreSQL: reads its columns (without running it), runs the one
   * set-based diff, counts the model's rows, and looks for keys held by several rows only when the
   * counts show some. A run keeps the keys to act on in a temporary table; a dry run, which may
   * create nothing, evaluates the plan again where it needs it.
   */
  @Override
  public Optional<Staged> stageInWarehouse(WarehouseModel model, LongConsumer progress) {
    List<String> names = new ArrayList<>();
    List<PlanSql.Column> columns = new ArrayList<>();
    StringBuilder signature = new StringBuilder(SCHEME).append('\n');
    boolean hashRecord;
    try {
      // one snapshot for the diff and the counts, so that they agree while the model changes
      planner.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      planner.setAutoCommit(false);
      for (String setting : PLAN_SETTINGS) {
        Jdbc.execute(planner, setting);
      }
      hashRecord = planner.getMetaData().getDatabaseMajorVersion() >= 14;
      try (PreparedStatement s =
              planner.prepareStatement(
                  "select * from ("
                      + PlanSql.withoutTrailingSemicolons(model.query())
                      + "\n) "
                      + PlanSql.ROW
                      + " limit 0");
          ResultSet rs = s.executeQuery()) {
        var md = rs.getMetaData();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          names.add(md.getColumnLabel(c));
          columns.add(new PlanSql.Column(md.getColumnLabel(c), md.getColumnTypeName(c)));
          signature.append(md.getColumnLabel(c)).append(':').append(md.getColumnTypeName(c));
          signature.append('\n');
        }
      }
    } catch (SQLException e) {
      rollback();
      throw errors().queryFailed(e);
    }
    int key = KeyColumn.indexIn(names, model.primaryKey());
    boolean integerKeys;
    try {
      integerKeys =
          key >= 0
              && PlanSql.INTEGER_TYPES.contains(columns.get(key).type().toLowerCase(Locale.ROOT))
              && (!tablesExist || Schema.hasIntegerKey(planner, tables));
    } catch (SQLException e) {
      rollback();
      throw errors().queryFailed(e);
    }
    if (key < 0) {
      rollback();
      throw RowstreamException.fatal(
          ErrorCode.SOURCE_QUERY_FAILED,
          "source "
              + source.name()
              + ": primary key column '"
              + model.primaryKey()
              + "' "
              + (key == KeyColumn.AMBIGUOUS
                  ? "matches several columns of the query, each only ignoring case"
                  : "is not among the query's columns: " + String.join(", ", names)));
    }
    primaryKey = model.primaryKey();
    sql =
        new PlanSql(
            model.query(),
            names.get(key),
            columns,
            RowHash.of(signature.toString()),
            hashRecord,
            delivered(),
            integerKeys);
    try {
      if (readOnly) {
        plan = "(" + sql.diff() + ")";
      } else {
        Jdbc.execute(planner, "drop table if exists " + PLAN_TABLE);
        Jdbc.execute(planner, "drop table if exists " + DUPS_TABLE);
        Jdbc.execute(planner, "create temporary table rowstream_plan as " + sql.diff());
        Jdbc.execute(planner, "analyze " + PLAN_TABLE);
        plan = PLAN_TABLE;
      }
      counts = count();
      planner.commit();
    } catch (SQLException e) {
      rollback();
      throw errors().queryFailed(e);
    }
    progress.accept(counts.rowsQueried());
    return Optional.of(new Staged(counts.rowsQueried(), counts.nullKeys(), names));
  }

  /**
   * The plan's counts. Every model row is added (key not delivered), a NULL key, or matched to a
   * delivered key; when more rows matched than distinct keys were, or a key was added twice, some
   * key is held by several rows: then (only then) a grouped query finds them, and their rows leave
   * the plan as one 'dup' entry each.
   */
  private PlanCounts count() throws SQLException {
    long rows = Jdbc.longOf(planner, sql.rowCount());
    long deliveredRows = tablesExist ? deliveredRows(planner) : 0;
    long[] byOp = countByOp();
    long added = byOp[0];
    long removed = byOp[2];
    long nullKeys = byOp[3];
    boolean repeated =
        Jdbc.exists(
            planner,
            "select exists (select 1 from "
                + plan
                + " p where rowstream_op in ('added', 'changed') group by rowstream_k"
                + " having count(*) > 1)");
    long matched = rows - added - nullKeys;
    if (repeated || matched > deliveredRows - removed) {
      if (readOnly) {
        plan = sql.withDuplicates(plan, "(" + sql.duplicates() + ")");
      } else {
        Jdbc.execute(planner, "create temporary table rowstream_dups as " + sql.duplicates());
        Jdbc.execute(
            planner,
            "delete from "
                + PLAN_TABLE
                + " where rowstream_k in (select k from "
                + DUPS_TABLE
                + ")");
        Jdbc.execute(
            planner,
            "insert into "
                + PLAN_TABLE
                + " (rowstream_k, rowstream_op, rowstream_n) select k, 'dup', n from "
                + DUPS_TABLE);
        Jdbc.execute(planner, "analyze " + PLAN_TABLE);
      }
      byOp = countByOp();
    }
    return new PlanCounts(rows, byOp[0], byOp[1], byOp[2], byOp[3], byOp[4]);
  }

  /** Rows of the plan: added, changed, removed, NULL keys, rows of duplicated keys. */
  private long[] countByOp() throws SQLException {
    long[] counts = new long[5];
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_op, count(*), coalesce(sum(rowstream_n), 0) from "
                    + plan
                    + " p group by rowstream_op");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "added" -> counts[0] = rs.getLong(2);
          case "changed" -> counts[1] = rs.getLong(2);
          case "removed" -> counts[2] = rs.getLong(2);
          case "null" -> counts[3] = rs.getLong(2);
          default -> counts[4] = rs.getLong(3);
        }
      }
    }
    return counts;
  }

  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    if (counts == null) {
      throw new IllegalStateException("plan() before stageInWarehouse()");
    }
    return counts;
  }

  @Override
  public List<DuplicateKey> duplicateKeys() {
    List<DuplicateKey> keys = new ArrayList<>();
    try (PreparedStatement s =
            planner.prepareStatement(
                "select rowstream_k, rowstream_n from "
                    + plan
                    + " p where rowstream_op = 'dup' order by rowstream_k");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        keys.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
      planner.commit();
    } catch (SQLException e) {
      rollback();
      throw errors().failed("reading", e);
    }
    return keys;
  }

  @Override
  public EventStream events() {
    if (sql == null) {
      throw new IllegalStateException("events() before stageInWarehouse()");
    }
    return new WarehouseEvents(
        planner, source.name(), sql.rowsToSend(plan), sql.removed(plan), null, primaryKey, counts);
  }

  /** Records the fingerprint scheme (the plan compares fingerprints of its own scheme only). */
  @Override
  public void adoptFingerprints() {
    writeMeta("fingerprint", SCHEME);
  }

  /**
   * Initial sync {@code skip}: the planned model becomes the delivered state, nothing is sent. The
   * rows are read once, as a run would read them, so removals can later be rendered. Into an empty
   * state (a first run) they are copied straight into {@code SYNC_delivered}, in one transaction
   * with its count: each row's JSON is written once, not to the acks and again by a merge.
   */
  @Override
  public void recordBaseline() {
    requireWritable();
    synchronized (this) {
      try {
        if (deliveredRows(writer) == 0
            && !Jdbc.exists(writer, "select exists (select 1 from " + tables.acks() + ")")) {
          baselineIntoEmpty();
          return;
        }
        try (EventStream events = events();
            AckCopy.Stream copy = AckCopy.Stream.acks(writer, tables.acks())) {
          while (events.hasNext()) {
            PlannedEvent event = events.next();
            copy.write(event.ack());
          }
          copy.finish();
        }
      } catch (SQLException e) {
        throw errors().failed("recording the baseline in", e);
      }
    }
    mergeAcks();
  }

  private void baselineIntoEmpty() throws SQLException {
    writer.setAutoCommit(false);
    try (EventStream events = events();
        AckCopy.Stream copy = AckCopy.Stream.delivered(writer, tables.delivered())) {
      long rows = 0;
      while (events.hasNext()) {
        Ack ack = events.next().ack();
        if (ack.row() != null) { // nothing is removed from an empty state
          copy.write(ack);
          rows++;
        }
      }
      copy.finish();
      setDeliveredRows(writer, rows);
      writer.commit();
    } catch (SQLException | RuntimeException e) {
      writer.rollback();
      throw e;
    } finally {
      writer.setAutoCommit(true);
    }
  }

  @Override
  public boolean initialized() {
    return readMeta("initialized").isPresent();
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
    requireWritable();
    try {
      AckCopy.copy(writer, tables.acks(), acks);
    } catch (SQLException e) {
      throw errors().failed("recording acknowledged rows in", e);
    }
  }

  @Override
  public synchronized void mergeAcks() {
    requireWritable();
    try {
      if (!Jdbc.exists(writer, "select exists (select 1 from " + tables.acks() + ")")) {
        return;
      }
      writer.setAutoCommit(false);
      try {
        long rows = deliveredRows(writer);
        rows -=
            update(
                "delete from "
                    + tables.delivered()
                    + " d using "
                    + tables.acks()
                    + " a where d.k = a.k");
        rows +=
            update(
                "insert into "
                    + tables.delivered()
                    + " (k, fp, row, ki) select k, fp, row, "
                    + Schema.INTEGER_KEY_OF_K
                    + " from (select distinct on (k) k, op, fp, row from "
                    + tables.acks()
                    + " order by k, seq desc) last where op <> 'removed'");
        Jdbc.execute(writer, "truncate " + tables.acks());
        setDeliveredRows(writer, rows);
        writer.commit();
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw errors().failed("merging acknowledged rows in", e);
    }
  }

  private long update(String sql) throws SQLException {
    try (Statement s = writer.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  /**
   * How many rows {@code SYNC_delivered} holds, as of {@code c}'s snapshot: from meta, which every
   * write keeps in its own transaction (the plan needs it, and counting would read the whole
   * table), or counted once for a state that has not recorded it yet.
   */
  private long deliveredRows(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select value from " + tables.meta() + " where key = ?")) {
      s.setString(1, DELIVERED_ROWS);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next() && rs.getString(1) != null) {
          return Long.parseLong(rs.getString(1));
        }
      }
    }
    return Jdbc.longOf(c, "select count(*) from " + tables.delivered());
  }

  /** Records the count of {@code SYNC_delivered}, in the writer's open transaction. */
  private void setDeliveredRows(Connection c, long rows) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(upsertMeta())) {
      s.setString(1, DELIVERED_ROWS);
      s.setString(2, Long.toString(rows));
      s.executeUpdate();
    }
  }

  private String upsertMeta() {
    return "insert into "
        + tables.meta()
        + " (key, value) values (?, ?) on conflict (key) do update set value = excluded.value";
  }

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s =
        readConnection()
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
      endRead();
    }
  }

  @Override
  public long deliveredCount() {
    if (!tablesExist) {
      return 0;
    }
    try {
      return deliveredRows(readConnection());
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    } finally {
      endRead();
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
        long rows = deliveredRows(writer);
        long n;
        if (keys.isEmpty()) {
          n = Jdbc.longOf(writer, "select count(*) from " + tables.delivered());
          Jdbc.execute(writer, "truncate " + tables.delivered());
          rows = 0;
        } else {
          n = 0;
          try (PreparedStatement s =
              writer.prepareStatement("delete from " + tables.delivered() + " where k = ?")) {
            for (String key : keys.get()) {
              s.setString(1, key);
              n += s.executeUpdate();
            }
          }
          rows -= n;
        }
        setDeliveredRows(writer, rows);
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
      // released before closing: the server ends a closed session a moment later, and a next open
      // of the sync right away would find the lease still held
      rollback();
      try {
        Jdbc.exists(planner, "select pg_advisory_unlock(" + tables.leaseKey() + ")");
      } catch (SQLException ignored) {
        // the session is gone, and its lock with it
      }
    }
    // closing the session drops the temporary plan and releases the lease
    Jdbc.closeQuietly(planner);
  }

  private Optional<String> readMeta(String key) {
    if (!tablesExist) {
      return Optional.empty();
    }
    try (PreparedStatement s =
        readConnection()
            .prepareStatement("select value from " + tables.meta() + " where key = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw errors().failed("reading", e);
    } finally {
      endRead();
    }
  }

  private synchronized void writeMeta(String key, String value) {
    requireWritable();
    try (PreparedStatement s = writer.prepareStatement(upsertMeta())) {
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

  private void endRead() {
    if (writer == null) {
      rollback();
    }
  }

  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("the state of sync " + sync + " was opened read-only");
    }
  }

  private void rollback() {
    try {
      if (!planner.getAutoCommit()) {
        planner.rollback();
      }
    } catch (SQLException ignored) {
      // the session is gone: the next statement says so
    }
  }
}
