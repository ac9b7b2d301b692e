package io.rowstream.store.duckdb;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.history.RejectedRow;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.RowHash;
import io.rowstream.plan.Staged;
import io.rowstream.source.KeyColumn;
import io.rowstream.source.ModelCursor;
import io.rowstream.state.Ack;
import io.rowstream.state.StateFileErrors;
import io.rowstream.state.SyncIdentity;
import io.rowstream.state.SyncLease;
import io.rowstream.store.SyncStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
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

  /** Primary key types whose SQL text (cast as varchar) is the text the row encoder writes. */
  static final Set<String> IN_PLACE_KEY_TYPES =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT",
          "VARCHAR",
          "UUID");

  /** The in-memory catalog of the in-place planner's tables, shared by this store's connections. */
  private static final String SCRATCH = "rowstream_plan";

  private final String sync;

  /** Plans in temporary tables and streams the events; temporary tables are per connection. */
  private final DuckDBConnection connection;

  /** Writes acknowledgements, rejections and runs while {@link #connection} streams events. */
  private final DuckDBConnection writer;

  /** The temporary folder of an in-memory state, deleted at close; null otherwise. */
  private final Path ownSpill;

  private long ackSeq;

  /** What the last stage call left for {@link #plan}. */
  private Staging staging;

  /**
   * How the model was staged, in which fingerprint scheme, whether the delivered fingerprints are
   * of another scheme (then rows are compared by their text), and a query of the duplicated keys
   * and how many rows hold each (pk, n).
   */
  private record Staging(boolean inPlace, String scheme, boolean rescan, String duplicateRows) {}

  private DuckDbState(String sync, DuckDBConnection connection, Path ownSpill) throws SQLException {
    this.sync = sync;
    this.connection = connection;
    this.ownSpill = ownSpill;
    this.writer = (DuckDBConnection) connection.duplicate();
  }

  /**
   * Opens (creating if needed) the state of {@code sync} under {@code dir} to change it. The file's
   * lock is the sync's lease: one process at a time.
   */
  public static DuckDbState open(Path dir, String sync) {
    Path file = file(dir, sync);
    try {
      Files.createDirectories(dir.resolve("tmp"));
    } catch (IOException e) {
      throw StateFileErrors.cannotCreateFolder(dir, e);
    }
    DuckDbState store =
        connect(sync, "jdbc:duckdb:" + file, properties(dir.resolve("tmp"), false), null);
    try {
      store.createSchema();
      store.recover();
    } catch (SQLException e) {
      store.close();
      throw StateFileErrors.cannotOpen(sync, file, e);
    }
    return store;
  }

  /**
   * Opens the state of {@code sync} to plan without changing it ({@code rowstream plan}): the file
   * read-only, or, for a sync that never ran, an empty state in memory; creates no file in the
   * state folder. Fails (clearly) while a run of the sync holds the state.
   */
  public static DuckDbState openReadOnly(Path dir, String sync) {
    Path file = file(dir, sync);
    Path spill;
    try {
      spill = Files.createTempDirectory("rowstream-plan-");
    } catch (IOException e) {
      throw RowstreamException.fatal(
          "cannot create a temporary folder to plan in: " + e.getMessage());
    }
    // An in-memory database that attaches the state read-only: the planner's scratch tables need
    // a writable catalog, which a database opened read-only cannot have.
    DuckDbState store = connect(sync, "jdbc:duckdb:", properties(spill, false), spill);
    try {
      if (Files.isRegularFile(file)) {
        DuckDb.execute(
            store.connection,
            "attach "
                + DuckDb.literal(file.toString())
                + " as "
                + READ_ONLY_STATE
                + " (read_only)");
        DuckDb.execute(store.connection, "use " + READ_ONLY_STATE);
      } else {
        store.createSchema(); // a sync that never ran: an empty state, in memory
      }
    } catch (SQLException e) {
      store.close();
      RowstreamException why = StateFileErrors.cannotOpen(sync, file, e);
      if (why.code() == ErrorCode.STATE_LOCKED) {
        throw RowstreamException.fatal(
            ErrorCode.STATE_LOCKED,
            "the state of sync "
                + sync
                + " is in use by a run; "
                + "plan again when it has finished. "
                + DuckDb.firstLine(e.getMessage()),
            e);
      }
      throw why;
    }
    return store;
  }

  /** The catalog name of a state opened read-only. */
  private static final String READ_ONLY_STATE = "rowstream_state";

  /** The DuckDB file of {@code sync}'s delivered state under {@code dir}. */
  public static Path file(Path dir, String sync) {
    return dir.resolve(sync + ".duckdb");
  }

  private static Properties properties(Path spill, boolean readOnly) {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    props.setProperty("memory_limit", DEFAULT_MEMORY_LIMIT);
    props.setProperty("temp_directory", spill.toString());
    props.setProperty("preserve_insertion_order", "false");
    props.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
    if (readOnly) {
      props.setProperty("access_mode", "READ_ONLY");
    }
    return props;
  }

  private static DuckDbState connect(String sync, String url, Properties props, Path ownSpill) {
    DuckDBConnection connection;
    try {
      connection = (DuckDBConnection) DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw StateFileErrors.cannotOpen(sync, Path.of(url.substring("jdbc:duckdb:".length())), e);
    }
    try {
      return new DuckDbState(sync, connection, ownSpill);
    } catch (SQLException e) {
      DuckDb.closeQuietly(connection);
      throw StateFileErrors.cannotOpen(sync, Path.of(url.substring("jdbc:duckdb:".length())), e);
    }
  }

  private void createSchema() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "create table if not exists delivered (pk varchar not null, h bigint not null, row varchar not null)");
      s.execute(
          "create table if not exists acks (seq bigint, pk varchar not null, op varchar not null, h bigint, row varchar)");
      s.execute("create table if not exists meta (key varchar primary key, value varchar)");
    }
  }

  /** A run killed before its end left acknowledgements behind: they count as delivered. */
  private void recover() {
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

  /**
   * Reads every row of the model into the staging table. Rows without a primary key are not staged:
   * they are counted and reported to {@code nullKey}.
   *
   * @return rows read, rows without a key
   */
  @Override
  public Staged stage(ModelCursor cursor, LongConsumer progress) {
    try {
      dropScratch();
      boolean rescan = storedScheme().map(stored -> !stored.equals(JAVA_SCHEME)).orElse(false);
      execute("create or replace temp table model (pk varchar, h bigint, row varchar)");
      long[] staged =
          new StagingPipeline(connection, this::failed)
              .append(cursor, "temp", "model", null, 0, progress);
      staging =
          new Staging(
              false,
              JAVA_SCHEME,
              rescan,
              "select pk, count(*) as n from model where pk in (select pk from dup) group by pk");
      return new Staged(staged[0], staged[1], cursor.columns());
    } catch (SQLException e) {
      throw failed("staging the model in", e);
    }
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
    requireNonNull(model, "model is null");
    String sourceName = model.sourceName();
    Path file = model.file();
    String primaryKey = model.primaryKey();
    String sql = DuckDb.withoutTrailingSemicolons(model.query());
    String alias = null;
    try {
      dropScratch();
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      String stateCatalog = currentDatabase();
      Set<String> before = databases();
      // Without AS DuckDB names the catalog as it would when opening the file directly, so
      // queries that name their catalog still resolve.
      DuckDb.execute(connection, "attach " + DuckDb.literal(file.toString()) + " (read_only)");
      Set<String> after = databases();
      after.removeAll(before);
      alias = after.iterator().next();
      DuckDb.execute(connection, "attach ':memory:' as " + SCRATCH);
      try (DuckDBConnection reader = (DuckDBConnection) connection.duplicate()) {
        // Unqualified table names in the query resolve in the model's file, as they would there.
        DuckDb.execute(reader, "use " + DuckDb.identifier(alias));
        Optional<Staged> staged =
            stageInPlace(reader, stateCatalog, sourceName, sql, primaryKey, progress);
        if (staged.isEmpty()) {
          dropScratch();
        }
        return staged;
      }
    } catch (SQLException e) {
      dropScratch();
      return Optional.empty();
    } catch (RuntimeException e) {
      dropScratch();
      throw e;
    } finally {
      if (alias != null) {
        try {
          DuckDb.execute(connection, "detach " + DuckDb.identifier(alias));
        } catch (SQLException e) {
          throw failed("detaching the model from", e);
        }
      }
    }
  }

  private Optional<Staged> stageInPlace(
      DuckDBConnection reader,
      String stateCatalog,
      String sourceName,
      String sql,
      String primaryKey,
      LongConsumer progress)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (PreparedStatement p = reader.prepareStatement(sql)) {
      ResultSetMetaData md = p.getMetaData();
      for (int c = 1; c <= md.getColumnCount(); c++) {
        names.add(md.getColumnLabel(c));
        types.add(md.getColumnTypeName(c));
      }
    }
    int key = KeyColumn.indexIn(names, primaryKey);
    if (key < 0
        || new HashSet<>(names).size() != names.size()
        || !IN_PLACE_KEY_TYPES.contains(types.get(key).toUpperCase(Locale.ROOT))) {
      return Optional
          .empty(); // the row-text path reports these, or plans keys whose text SQL cannot
      // reproduce
    }
    String scheme =
        DUCKDB_SCHEME + "; " + duckDbVersion() + "; " + DuckDb.columnSignature(names, types);
    boolean rescan = storedScheme().map(stored -> !stored.equals(scheme)).orElse(false);
    String model = "(\n" + sql + "\n) q";
    String keyText = "cast(q." + DuckDb.identifier(names.get(key)) + " as varchar)";
    StringBuilder values = new StringBuilder();
    for (int c = 0; c < names.size(); c++) {
      String column = "q." + DuckDb.identifier(names.get(c));
      values.append(c == 0 ? "" : ", ").append(column);
      if (types.get(c).equalsIgnoreCase("DOUBLE") || types.get(c).equalsIgnoreCase("FLOAT")) {
        // hash() takes -0.0 for 0.0; their JSON differs
        values.append(", signbit(").append(column).append(')');
      }
    }
    // DuckDB's hash is an unsigned 64-bit value; 63 of its bits fit the state's bigint column.
    // One aggregation by key gives the counts of NULL and duplicated keys too.
    String hash = "cast(hash(" + values + ") >> 1 as bigint)";
    DuckDb.execute(
        reader,
        "create table "
            + SCRATCH
            + ".fp as select pk, count(*) as n, min(h) as h from (select "
            + keyText
            + " as pk, "
            + hash
            + " as h from "
            + model
            + ") group by pk");
    long rows;
    long nullKeys;
    long duplicates;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select coalesce(sum(n), 0), coalesce(sum(n) filter (where pk is null), 0), "
                    + "coalesce(sum(n) filter (where pk is not null and n > 1), 0) from "
                    + SCRATCH
                    + ".fp")) {
      rs.next();
      rows = rs.getLong(1);
      nullKeys = rs.getLong(2);
      duplicates = rs.getLong(3);
    }
    progress.accept(rows);
    DuckDb.execute(
        connection,
        "create or replace temp table dup as select pk from "
            + SCRATCH
            + ".fp "
            + "where pk is not null and n > 1");
    // One pass over both sides: keys to send (new, moved, or all on a rescan), duplicated, or
    // removed.
    DuckDb.execute(
        connection,
        "create table "
            + SCRATCH
            + ".cmp as select m.pk as mpk, d.pk as dpk, m.h, m.n from "
            + "(select pk, n, h from "
            + SCRATCH
            + ".fp where pk is not null) m full join (select pk, h from delivered) d "
            + "on m.pk = d.pk"
            + (rescan ? "" : " where m.pk is null or d.pk is null or m.n > 1 or m.h <> d.h"));
    DuckDb.execute(
        connection,
        "create table "
            + SCRATCH
            + ".need as select mpk as pk, h, dpk is null as added from "
            + SCRATCH
            + ".cmp where mpk is not null and n = 1");
    long needed = count(SCRATCH + ".need");
    boolean everyRow = needed == rows - nullKeys - duplicates;
    DuckDb.execute(
        connection,
        "create table " + SCRATCH + ".encoded (pk varchar, h bigint, added boolean, row varchar)");
    // The fingerprint and whether the key is new come along as two columns after the row's own.
    // A first run or a new scheme needs every row: scan the query, no join with what is needed.
    String fetch =
        everyRow && count("delivered") == 0
            ? "select q.*, " + hash + " as h, true from " + model
            : everyRow
                ? "select q.*, "
                    + hash
                    + " as h, d.pk is null from "
                    + model
                    + " left join "
                    + DuckDb.identifier(stateCatalog)
                    + ".main.delivered d on "
                    + keyText
                    + " = d.pk"
                : "select q.*, n.h, n.added from "
                    + model
                    + " join "
                    + SCRATCH
                    + ".need n on "
                    + keyText
                    + " = n.pk";
    Statement statement =
        reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ResultSet rs;
    try {
      rs = statement.executeQuery(fetch);
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
    try (ModelCursor cursor = ModelCursor.over(sourceName, rs, names.size(), primaryKey)) {
      new StagingPipeline(connection, this::failed)
          .append(cursor, SCRATCH, "encoded", rs, names.size() + 1, n -> {});
    }
    // A query whose rows differ between two evaluations (random(), limit without order) or a
    // key whose text SQL and the encoder write differently: plan on the row-text path instead.
    if (count(
            SCRATCH
                + ".need n where not exists (select 1 from "
                + SCRATCH
                + ".encoded e where e.pk = n.pk)")
        > 0) {
      return Optional.empty();
    }
    staging =
        new Staging(
            true,
            scheme,
            rescan,
            "select pk, n from " + SCRATCH + ".fp where pk is not null and n > 1");
    return Optional.of(new Staged(rows, nullKeys, names));
  }

  /** Compares the staged model with the delivered state. */
  @Override
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    if (staging == null) {
      throw new IllegalStateException("plan() before stage()");
    }
    if (staging.inPlace()) {
      // encoded holds the rows to send: keys new, or whose fingerprint moved (every key on a
      // rescan)
      boolean anyRemoved;
      try {
        anyRemoved = count(SCRATCH + ".cmp where mpk is null") > 0;
      } catch (SQLException e) {
        throw failed("planning in", e);
      }
      execute(
          "create or replace temp table events as "
              + "select case when e.added then 'added' else 'changed' end as op, e.pk, e.h, e.row from "
              + SCRATCH
              + ".encoded e"
              + (staging.rescan()
                  ? " left join delivered d on e.pk = d.pk where (e.added or d.row <> e.row) and"
                  : " where")
              + " e.pk not in (select pk from dup)"
              // delivered rows' text is read only for removed keys, and not at all when there are
              // none
              + (anyRemoved
                  ? " union all select 'removed', d.pk, d.h, d.row from delivered d semi join (select dpk from "
                      + SCRATCH
                      + ".cmp where mpk is null) r on d.pk = r.dpk"
                  : ""));
    } else {
      execute(
          "create or replace temp table dup as select pk from model group by pk having count(*) > 1");
      // On a rescan the delivered fingerprints are of another scheme: compare the rows' text.
      execute(
          "create or replace temp table events as "
              + "select 'added' as op, m.pk, m.h, m.row from model m anti join delivered d on m.pk = d.pk "
              + "where m.pk not in (select pk from dup) "
              + "union all select 'changed', m.pk, m.h, m.row from model m join delivered d on m.pk = d.pk "
              + "where "
              + (staging.rescan() ? "m.row <> d.row" : "m.h <> d.h")
              + " and m.pk not in (select pk from dup) "
              + "union all select 'removed', d.pk, d.h, d.row from delivered d anti join model m on m.pk = d.pk");
    }
    long added = 0;
    long changed = 0;
    long removed = 0;
    long duplicates = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select op, count(*) from events group by op "
                    + "union all select 'dup', coalesce(sum(n), 0) from ("
                    + staging.duplicateRows()
                    + ")")) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "added" -> added = rs.getLong(2);
          case "changed" -> changed = rs.getLong(2);
          case "removed" -> removed = rs.getLong(2);
          default -> duplicates = rs.getLong(2);
        }
      }
    } catch (SQLException e) {
      throw failed("planning in", e);
    }
    return new PlanCounts(rowsQueried, added, changed, removed, nullKeys, duplicates);
  }

  /**
   * Records the planner's fingerprint scheme. When it differs from the one the delivered rows were
   * recorded in, the plan compared the rows' text instead, and the rows found unchanged take their
   * new fingerprints, in the same transaction; other rows take theirs when acknowledged. Call it
   * once per run that may change the state, after {@link #plan}.
   */
  @Override
  public void adoptFingerprints() {
    if (staging == null) {
      throw new IllegalStateException("adoptFingerprints() before stage()");
    }
    Optional<String> stored;
    try {
      stored = storedScheme();
    } catch (SQLException e) {
      throw failed("reading", e);
    }
    if (stored.isPresent() && stored.get().equals(staging.scheme())) {
      return;
    }
    List<String> statements = new ArrayList<>();
    if (staging.rescan()) {
      statements.add(
          staging.inPlace()
              ? "update delivered set h = e.h from "
                  + SCRATCH
                  + ".encoded e "
                  + "where delivered.pk = e.pk and delivered.row = e.row and e.pk not in (select pk from dup)"
              : "update delivered set h = m.h from model m where delivered.pk = m.pk and delivered.row = m.row "
                  + "and m.pk not in (select pk from dup)");
    }
    statements.add(
        "insert or replace into meta values ('"
            + FINGERPRINT_KEY
            + "', "
            + DuckDb.literal(staging.scheme())
            + ")");
    transaction(connection, statements);
  }

  /** The scheme the delivered fingerprints are in; none while nothing was delivered. */
  private Optional<String> storedScheme() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select (select value from meta where key = '"
                    + FINGERPRINT_KEY
                    + "'), "
                    + "exists (select 1 from delivered)")) {
      rs.next();
      String stored = rs.getString(1);
      if (stored != null) {
        return Optional.of(stored);
      }
      // state written before schemes were recorded holds row-text fingerprints
      return rs.getBoolean(2) ? Optional.of(JAVA_SCHEME) : Optional.empty();
    }
  }

  /** The duplicated primary keys of the last plan, with how many rows hold each. */
  @Override
  public List<DuplicateKey> duplicateKeys() {
    List<DuplicateKey> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("select pk, n from (" + staging.duplicateRows() + ") order by pk")) {
      while (rs.next()) {
        rows.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
    return rows;
  }

  /** Streams the planned events; the iterator must be closed. */
  @Override
  public EventStream events() {
    try {
      Statement s = connection.createStatement();
      ResultSet rs = s.executeQuery("select op, pk, row, h from events");
      return new DuckDbEvents(s, rs);
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  /** Initial sync {@code skip}: the model becomes the delivered state, nothing is sent. */
  @Override
  public void recordBaseline() {
    transaction(
        connection,
        List.of(
            "delete from delivered where pk in (select pk from events)",
            "insert into delivered select pk, h, row from events where op <> 'removed'"));
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
    // in slices of about ACKS_PER_MERGE keys, so DuckDB's memory limit holds for 10M+ acks
    long slices = 1 + ackSeq / ACKS_PER_MERGE;
    List<String> statements = new ArrayList<>();
    for (long slice = 0; slice < slices; slice++) {
      String where = slices == 1 ? "" : " where hash(pk) % " + slices + " = " + slice;
      statements.add("delete from delivered where pk in (select pk from acks" + where + ")");
      statements.add(
          "insert into delivered select pk, arg_max(h, seq), arg_max(row, seq) from acks"
              + where
              + " group by pk having arg_max(op, seq) <> 'removed'");
    }
    statements.add("delete from acks");
    transaction(writer, statements);
    ackSeq = 0;
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
    List<LegacyRun> runs = new ArrayList<>();
    try {
      if (!tableExists("runs")) {
        return runs;
      }
      boolean rejections = tableExists("rejections");
      List<String[]> found = new ArrayList<>();
      try (Statement s = connection.createStatement();
          ResultSet rs =
              s.executeQuery("select run_id, started_at, finished_at, status, summary from runs")) {
        while (rs.next()) {
          found.add(
              new String[] {
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
              });
        }
      }
      // results stream: one query at a time on the connection
      for (String[] run : found) {
        runs.add(
            new LegacyRun(
                run[0],
                run[1],
                Optional.ofNullable(run[2]),
                run[3],
                Optional.ofNullable(run[4]),
                rejections ? legacyRejections(run[0]) : List.of()));
      }
    } catch (SQLException e) {
      throw failed("reading the old run history in", e);
    }
    return runs;
  }

  private List<RejectedRow> legacyRejections(String runId) throws SQLException {
    List<RejectedRow> rows = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "select pk, op, reason, message from rejections where run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return rows;
  }

  /** Drops the run history tables an older Rowstream kept in this file (once moved). */
  public void dropLegacyHistory() {
    try {
      if (!tableExists("runs") && !tableExists("calls")) {
        return;
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
    transaction(
        writer,
        List.of(
            "drop table if exists call_records",
            "drop table if exists calls",
            "drop table if exists rejections",
            "drop table if exists runs"));
  }

  private boolean tableExists(String table) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select count(*) from duckdb_tables() where database_name = current_database() and table_name = ?")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
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

  private void transaction(Connection on, List<String> statements) {
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

  private void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw failed("updating", e);
    }
  }

  private RowstreamException failed(String doing, SQLException e) {
    return RowstreamException.fatal(
        "error " + doing + " the state of sync " + sync + ": " + DuckDb.firstLine(e.getMessage()),
        e);
  }

  /** Detaches the in-place planner's scratch tables, if there are any. */
  private void dropScratch() {
    try {
      DuckDb.execute(connection, "detach database if exists " + SCRATCH);
    } catch (SQLException ignored) {
      // they live in memory and go with the connection
    }
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

  private String currentDatabase() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String duckDbVersion() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select version()")) {
      rs.next();
      return "duckdb " + rs.getString(1);
    }
  }

  private long count(String from) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
