package io.rowstream.store.duckdb;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.RowstreamException;
import io.rowstream.history.RejectedRow;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.RowHash;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;
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

  /** The fingerprint of the row-text path: {@link RowHash} of the row's typed JSON. */
  static final String JAVA_SCHEME = "java-rowhash-v1";

  /**
   * The fingerprint of the in-place path: DuckDB's {@code hash()} of the column values; the stored
   * scheme also names the DuckDB version and the query's columns and types. Bump the version when
   * the typed JSON of unchanged values changes.
   */
  static final String DUCKDB_SCHEME =
      "duckdb-hash-v2"; // v2: BC and 1582 dates, infinities, -0.0 encoded anew

  /** The meta key that records the scheme of the delivered fingerprints. */
  static final String FINGERPRINT_KEY = "fingerprint";

  /** The in-memory catalog of the in-place planner's tables, shared by this store's connections. */
  static final String SCRATCH = "rowstream_plan";

  private final String sync;

  /** Plans in temporary tables and streams the events; temporary tables are per connection. */
  private final DuckDBConnection connection;

  /** Writes acknowledgements, rejections and runs while {@link #connection} streams events. */
  private final DuckDBConnection writer;

  /** The temporary folder of an in-memory state, deleted at close; null otherwise. */
  private final Path ownSpill;

  private long ackSeq;

  /** Acks below this seq were folded by {@link #mergeAcksSoFar}. */
  private long merged;

  /** Stages and plans: see {@link DuckDbPlanner}. */
  private final DuckDbPlanner planner;

  /** Stages a DuckDB model file in place for {@link #planner}. */
  private final InPlaceStaging inPlace;

  DuckDbState(String sync, DuckDBConnection connection, Path ownSpill) throws SQLException {
    this.sync = sync;
    this.connection = connection;
    this.ownSpill = ownSpill;
    this.writer = (DuckDBConnection) connection.duplicate();
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
          "create table if not exists delivered (pk varchar not null, h bigint not null, row varchar not null)");
      s.execute(
          "create table if not exists acks (seq bigint, pk varchar not null, op varchar not null, h bigint, row varchar)");
      s.execute("create table if not exists meta (key varchar primary key, value varchar)");
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
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from meta where key = 'initialized'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  @Override
  public void markInitialized() {
    execute("insert or replace into meta values ('initialized', 'true')");
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
    if (acks.isEmpty()) {
      return;
    }
    // DuckDB appenders are confined to one thread; sender threads take turns, one appender a call.
    try (DuckDBAppender appender = writer.createAppender("main", "acks")) {
      for (Ack ack : acks) {
        appender.beginRow().append(ackSeq++).append(ack.key()).append(ack.type().label());
        if (ack.row() == null) {
          appender.appendNull().appendNull();
        } else {
          appender.append(ack.fingerprint()).append(ack.row());
        }
        appender.endRow();
      }
      appender.flush();
    } catch (SQLException e) {
      throw failed("recording acknowledged rows in", e);
    }
  }

  /** Folds acknowledged rows into the delivered state, in one transaction. */
  @Override
  public synchronized void mergeAcks() {
    List<String> statements = mergeStatements("", ackSeq);
    statements.add("delete from acks");
    transaction(writer, statements);
    ackSeq = 0;
    merged = 0;
  }

  /**
   * Folds the acknowledgements recorded so far, on a connection of its own, without holding up
   * {@link #ack}: the sending threads go on appending while it runs.
   *
   * <p>Why this is safe: the rows folded (seq below the mark) were committed by {@link #ack} before
   * the mark was read under the lock, so they are acknowledged; the transaction folds them and
   * deletes them from acks at once, so a kill leaves either both or neither (then the next open
   * folds them). Each key is acknowledged at most once a run, so folding some keys now and the rest
   * in {@link #mergeAcks} gives what one merge would. DuckDB lets the appends of {@link #ack} (new
   * rows) and this transaction's deletes (older rows) commit side by side.
   */
  @Override
  public void mergeAcksSoFar() {
    long from;
    long upTo;
    synchronized (this) {
      from = merged;
      upTo = ackSeq;
    }
    if (upTo <= from) {
      return;
    }
    String range = "seq >= " + from + " and seq < " + upTo;
    List<String> statements = mergeStatements(range, upTo - from);
    statements.add("delete from acks where " + range);
    try (DuckDBConnection merger = (DuckDBConnection) writer.duplicate()) {
      transaction(merger, statements);
    } catch (SQLException e) {
      throw failed("merging acknowledged rows in", e);
    }
    synchronized (this) {
      merged = Math.max(merged, upTo);
    }
  }

  /**
   * Statements that fold the acks matching {@code where} (all when empty) into the delivered state:
   * in slices of about ACKS_PER_MERGE keys, so DuckDB's memory limit holds for 10M+ acks.
   */
  private static List<String> mergeStatements(String where, long acks) {
    long slices = 1 + acks / ACKS_PER_MERGE;
    List<String> statements = new ArrayList<>();
    for (long slice = 0; slice < slices; slice++) {
      List<String> filters = new ArrayList<>();
      if (!where.isEmpty()) {
        filters.add(where);
      }
      if (slices > 1) {
        filters.add("hash(pk) % " + slices + " = " + slice);
      }
      String filter = filters.isEmpty() ? "" : " where " + String.join(" and ", filters);
      statements.add("delete from delivered where pk in (select pk from acks" + filter + ")");
      statements.add(
          "insert into delivered select pk, arg_max(h, seq), arg_max(row, seq) from acks"
              + filter
              + " group by pk having arg_max(op, seq) <> 'removed'");
    }
    return statements;
  }

  /** Acknowledgements folded into the delivered state by one statement. */
  static final long ACKS_PER_MERGE = 2_000_000;

  @Override
  public Optional<DeliveredRow> delivered(String key) {
    try (PreparedStatement s =
        connection.prepareStatement("select row, h from delivered where pk = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new DeliveredRow(key, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  @Override
  public Optional<SyncIdentity> identity() {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select (select value from meta where key = 'stream'), "
                    + "(select value from meta where key = 'primary_key')")) {
      rs.next();
      return rs.getString(1) == null || rs.getString(2) == null
          ? Optional.empty()
          : Optional.of(new SyncIdentity(rs.getString(1), rs.getString(2)));
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  @Override
  public void recordIdentity(SyncIdentity identity) {
    transaction(
        writer,
        List.of(
            "insert or replace into meta values ('stream', "
                + DuckDb.literal(identity.stream())
                + ")",
            "insert or replace into meta values ('primary_key', "
                + DuckDb.literal(identity.primaryKey())
                + ")"));
  }

  @Override
  public synchronized long forget(Optional<Collection<String>> keys) {
    try {
      if (keys.isEmpty()) {
        long n = count("delivered");
        transaction(writer, List.of("delete from delivered"));
        return n;
      }
      writer.setAutoCommit(false);
      try (PreparedStatement s = writer.prepareStatement("delete from delivered where pk = ?")) {
        long n = 0;
        for (String key : keys.get()) {
          s.setString(1, key);
          n += s.executeUpdate();
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
      throw failed("forgetting delivered rows in", e);
    }
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
    try {
      return count("delivered");
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  @Override
  public synchronized void close() {
    dropScratch();
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

  /** Detaches the in-place planner's scratch tables, if there are any. */
  void dropScratch() {
    try {
      DuckDb.execute(connection, "detach database if exists " + SCRATCH);
    } catch (SQLException ignored) {
      // they live in memory and go with the connection
    }
  }

  /**
   * Attaches a DuckDB model file read-only; returns its catalog name. Without AS DuckDB names the
   * catalog as it would when opening the file directly, so queries that name their catalog still
   * resolve.
   */
  String attachModel(Path file) throws SQLException {
    Set<String> before = databases();
    DuckDb.execute(connection, "attach " + DuckDb.literal(file.toString()) + " (read_only)");
    Set<String> after = databases();
    after.removeAll(before);
    return after.iterator().next();
  }

  void detachModel(String alias) {
    try {
      DuckDb.execute(connection, "detach " + DuckDb.identifier(alias));
    } catch (SQLException e) {
      throw failed("detaching the model from", e);
    }
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

  private Set<String> databases() throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select database_name from duckdb_databases()")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  String currentDatabase() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  long count(String from) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
