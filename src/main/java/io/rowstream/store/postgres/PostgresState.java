package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.Staged;
import io.rowstream.source.ModelCursor;
import io.rowstream.state.Ack;
import io.rowstream.state.SyncIdentity;
import io.rowstream.state.SyncLease;
import io.rowstream.store.SyncStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One sync's delivered state in the shared PostgreSQL state, and its planning: the model is staged
 * into a temporary table of this session (COPY; temporary tables write no WAL, like unlogged ones,
 * and vanish with the session, so a killed run leaves nothing behind), compared there with the
 * delivered rows, and the events are streamed out with a cursor.
 *
 * <p>The lease is a session-level advisory lock on the planning connection: a second holder is
 * refused; a holder that dies (kill -9, lost network) loses its session and so the lock.
 */
final class PostgresState implements SyncStore {
  /** The fingerprint of the row-text path, as in the embedded state: RowHash of the row's JSON. */
  static final String JAVA_SCHEME = "java-rowhash-v1";

  static final String FINGERPRINT_KEY = "fingerprint";

  /** Events fetched from the server at a time while streaming. */
  static final int EVENT_FETCH_ROWS = 4096;

  private final StateConfig config;
  private final String sync;
  private final boolean readOnly;

  /** Holds the lease, plans in temporary tables and streams the events. */
  private final Connection connection;

  /** Writes acknowledgements and merges while {@link #connection} streams events. */
  private final Connection writer;

  /** The delivered rows and meta as this store reads them (a reader's may be temporary copies). */
  private final String delivered;

  private final String meta;
  private final String acks;

  private final PgPlanning planning;

  private PostgresState(StateConfig config, String sync, boolean readOnly, Connection connection)
      throws SQLException {
    this.config = config;
    this.sync = sync;
    this.readOnly = readOnly;
    this.connection = connection;
    String s = config.schema();
    this.acks = s + ".acks";
    if (readOnly) {
      this.writer = null;
      if (!Pg.schemaExists(connection, s)) {
        Pg.execute(connection, "create temp table delivered (like pg_temp.model_shape)");
        this.delivered = "pg_temp.delivered";
        this.meta = "pg_temp.meta";
      } else {
        this.delivered = unmergedAcks(s) ? readerCopy(s) : s + ".delivered";
        this.meta = s + ".meta";
      }
    } else {
      this.writer = Pg.connect(config);
      this.delivered = s + ".delivered";
      this.meta = s + ".meta";
    }
    this.planning = new PgPlanning(config, sync, connection, delivered, this);
  }

  /**
   * Opens the state of {@code sync} to change it: takes its lease, merges what a killed run left.
   */
  static PostgresState open(StateConfig config, String sync) {
    Connection c = Pg.connect(config);
    try {
      Pg.ensureSchema(c, config);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select pg_try_advisory_lock(" + Pg.leaseKey(config.schema(), sync) + ")")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw RowstreamException.fatal(
              ErrorCode.STATE_LOCKED,
              "the state of sync "
                  + sync
                  + " (schema "
                  + config.schema()
                  + " at "
                  + Pg.where(config)
                  + ") is in use by another rowstream process; wait for it to finish");
        }
      }
      PostgresState state = new PostgresState(config, sync, false, c);
      state.mergeAcks();
      return state;
    } catch (SQLException e) {
      Pg.closeQuietly(c);
      throw Pg.failed("opening the state of sync " + sync, e, config);
    } catch (RuntimeException e) {
      Pg.closeQuietly(c);
      throw e;
    }
  }

  /**
   * Opens the state of {@code sync} to plan without changing it: no lease, nothing written but
   * temporary tables of this session; what a killed run acknowledged counts as delivered.
   */
  static PostgresState openReadOnly(StateConfig config, String sync) {
    Connection c = Pg.connect(config);
    try {
      Pg.execute(
          c,
          "create temp table model_shape (sync text, pk text, h bigint, row text);"
              + " create temp table meta (sync text, key text, value text)");
      return new PostgresState(config, sync, true, c);
    } catch (SQLException e) {
      Pg.closeQuietly(c);
      throw Pg.failed("opening the state of sync " + sync, e, config);
    }
  }

  private boolean unmergedAcks(String s) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "select exists (select 1 from " + s + ".acks where sync = ?)")) {
      p.setString(1, sync);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** A reader's delivered rows: the stored ones with unmerged acknowledgements folded in. */
  private String readerCopy(String s) throws SQLException {
    try (PreparedStatement p =
        connection.prepareStatement(
            "create temp table delivered as select sync, pk, h, row from "
                + s
                + ".delivered d where d.sync = ? and not exists (select 1 from "
                + s
                + ".acks a where a.sync = ? and a.pk = d.pk) union all select sync, pk, h, row"
                + " from (select distinct on (pk) sync, pk, op, h, row from "
                + s
                + ".acks where sync = ? order by pk, seq desc) a where op <> 'removed'")) {
      p.setString(1, sync);
      p.setString(2, sync);
      p.setString(3, sync);
      p.execute();
    }
    return "pg_temp.delivered";
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
              return connection.isValid(5);
            } catch (SQLException e) {
              return false;
            }
          }
        });
  }

  // ---- delivered state

  @Override
  public boolean initialized() {
    return metaValue("initialized").isPresent();
  }

  @Override
  public synchronized void markInitialized() {
    putMeta("initialized", "true");
  }

  @Override
  public synchronized void ack(List<Ack> list) {
    if (list.isEmpty()) {
      return;
    }
    requireWritable();
    // autocommit: each batch is committed (and so durable) before ack returns
    try (PreparedStatement s =
        writer.prepareStatement(
            "insert into " + acks + " (sync, pk, op, h, row) values (?, ?, ?, ?, ?)")) {
      for (Ack ack : list) {
        s.setString(1, sync);
        s.setString(2, ack.key());
        s.setString(3, ack.type().label());
        if (ack.row() == null) {
          s.setNull(4, java.sql.Types.BIGINT);
          s.setNull(5, java.sql.Types.VARCHAR);
        } else {
          s.setLong(4, ack.fingerprint());
          s.setString(5, ack.row());
        }
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw Pg.failed("recording acknowledged rows of sync " + sync, e, config);
    }
  }

  @Override
  public synchronized void mergeAcks() {
    requireWritable();
    if (!lease().orElseThrow().held()) {
      // the acknowledgements are committed: whoever holds the lease now merges them
      throw RowstreamException.fatal(
          ErrorCode.STATE_LOCKED,
          "the lease of sync "
              + sync
              + " was lost (its PostgreSQL session ended); what was acknowledged is kept and"
              + " merged by the next run");
    }
    try {
      Pg.transaction(
          writer,
          List.of(
              c ->
                  Pg.update(
                      c,
                      "delete from "
                          + delivered
                          + " d using (select distinct pk from "
                          + acks
                          + " where sync = ?) a where d.sync = ? and d.pk = a.pk",
                      sync,
                      sync),
              c ->
                  Pg.update(
                      c,
                      "insert into "
                          + delivered
                          + " (sync, pk, h, row) select sync, pk, h, row from (select distinct on"
                          + " (pk) sync, pk, op, h, row from "
                          + acks
                          + " where sync = ? order by pk, seq desc) a where op <> 'removed'",
                      sync),
              c -> Pg.update(c, "delete from " + acks + " where sync = ?", sync)));
    } catch (SQLException e) {
      throw Pg.failed("merging acknowledged rows of sync " + sync, e, config);
    }
  }

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select row, h from " + delivered + " where sync = ? and pk = ?")) {
      s.setString(1, sync);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new DeliveredRow(key, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw Pg.failed("reading the state of sync " + sync, e, config);
    }
  }

  @Override
  public long deliveredCount() {
    return countWhereSync(delivered);
  }

  @Override
  public Optional<SyncIdentity> identity() {
    Optional<String> stream = metaValue("stream");
    Optional<String> key = metaValue("primary_key");
    return stream.isPresent() && key.isPresent()
        ? Optional.of(new SyncIdentity(stream.get(), key.get()))
        : Optional.empty();
  }

  @Override
  public synchronized void recordIdentity(SyncIdentity identity) {
    requireWritable();
    try {
      Pg.transaction(
          writer,
          List.of(
              c -> upsertMeta(c, "stream", identity.stream()),
              c -> upsertMeta(c, "primary_key", identity.primaryKey())));
    } catch (SQLException e) {
      throw Pg.failed("recording the identity of sync " + sync, e, config);
    }
  }

  @Override
  public synchronized long forget(Optional<Collection<String>> keys) {
    requireWritable();
    try {
      if (keys.isEmpty()) {
        return Pg.update(writer, "delete from " + delivered + " where sync = ?", sync);
      }
      try (PreparedStatement s =
          writer.prepareStatement(
              "delete from " + delivered + " where sync = ? and pk = any (?)")) {
        s.setString(1, sync);
        s.setArray(2, writer.createArrayOf("text", keys.get().toArray()));
        return s.executeLargeUpdate();
      }
    } catch (SQLException e) {
      throw Pg.failed("forgetting delivered rows of sync " + sync, e, config);
    }
  }

  // ---- planning, in this session (PgPlanning)

  @Override
  public Staged stage(ModelCursor cursor, LongConsumer progress) {
    return planning.stage(cursor, progress);
  }

  /** Only DuckDB files are planned in place, and only by the embedded state. */
  @Override
  public Optional<Staged> stageInPlace(InPlaceModel model, LongConsumer progress) {
    return Optional.empty();
  }

  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    return planning.plan(rowsQueried, nullKeys);
  }

  @Override
  public List<DuplicateKey> duplicateKeys() {
    return planning.duplicateKeys();
  }

  @Override
  public EventStream events() {
    return planning.events();
  }

  @Override
  public void adoptFingerprints() {
    requireWritable();
    planning.adoptFingerprints();
  }

  @Override
  public void recordBaseline() {
    requireWritable();
    planning.recordBaseline();
  }

  /** Closes without merging; closing the planning session releases the lease. */
  @Override
  public synchronized void close() {
    Pg.closeQuietly(writer);
    if (!readOnly) {
      // released here, not left to the session's end: the server ends a closed session after the
      // client has gone on, and a reopening right away would find the lease still held
      Pg.releaseQuietly(
          connection, "select pg_advisory_unlock(" + Pg.leaseKey(config.schema(), sync) + ")");
    }
    Pg.closeQuietly(connection);
  }

  // ---- helpers

  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("the state of sync " + sync + " was opened read-only");
    }
  }

  /** The scheme the delivered fingerprints are in; none while nothing was delivered. */
  Optional<String> storedScheme() throws SQLException {
    Optional<String> stored = metaValue(FINGERPRINT_KEY);
    if (stored.isPresent()) {
      return stored;
    }
    return countWhereSync(delivered) > 0 ? Optional.of(JAVA_SCHEME) : Optional.empty();
  }

  private Optional<String> metaValue(String key) {
    // the writer sees what it committed; a reader has no writer
    Connection c = writer == null ? connection : writer;
    try (PreparedStatement s =
        c.prepareStatement("select value from " + meta + " where sync = ? and key = ?")) {
      s.setString(1, sync);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Pg.failed("reading the state of sync " + sync, e, config);
    }
  }

  private void putMeta(String key, String value) {
    requireWritable();
    try {
      upsertMeta(writer, key, value);
    } catch (SQLException e) {
      throw Pg.failed("writing the state of sync " + sync, e, config);
    }
  }

  void upsertMeta(Connection c, String key, String value) throws SQLException {
    Pg.update(
        c,
        "insert into "
            + meta
            + " (sync, key, value) values (?, ?, ?)"
            + " on conflict (sync, key) do update set value = excluded.value",
        sync,
        key,
        value);
  }

  private long countWhereSync(String table) {
    try (PreparedStatement s =
        connection.prepareStatement("select count(*) from " + table + " where sync = ?")) {
      s.setString(1, sync);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw Pg.failed("reading the state of sync " + sync, e, config);
    }
  }
}
