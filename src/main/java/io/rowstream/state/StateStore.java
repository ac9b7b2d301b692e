package io.rowstream.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.CallLog;
import io.rowstream.delivery.EntryResult;
import io.rowstream.core.Rejection;
import io.rowstream.core.RowstreamException;
import io.rowstream.source.KeyColumn;
import io.rowstream.source.ModelCursor;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The delivered state of one sync, its run history and its rejected rows, in an embedded DuckDB
 * file ({@code STATE_DIR/SYNC.duckdb}); DuckDB also plans, spilling to disk, so a model of any
 * size plans in bounded memory.
 *
 * <p>Commit contract, in order:
 *
 * <ol>
 *   <li>{@link #open} takes the file's lock (one process per sync) and merges acknowledgements
 *       a killed run left behind, so they count as delivered.
 *   <li>{@link #stage} reads the model into a temporary table; {@link #plan} compares it with
 *       the delivered state; {@link #events} streams the events.
 *   <li>{@link #ack} durably appends acknowledged rows (one commit per call), so a row's state
 *       advances only after Kinesis acknowledged it, and a kill at any instant loses nothing.
 *   <li>{@link #mergeAcks} folds the acknowledgements into the delivered state in one
 *       transaction.
 * </ol>
 */
public final class StateStore implements AutoCloseable {
  /** DuckDB's working memory for planning; beyond it, it spills to STATE_DIR/tmp. */
  public static final String DEFAULT_MEMORY_LIMIT = "1GB";

  /**
   * How much write-ahead log DuckDB gathers before it checkpoints. A 1M-row backfill writes
   * ~207 MB of log (acknowledgements and calls): DuckDB's 16 MB default checkpointed it about 13
   * times while sending, each time holding up the acknowledgements (and so the producer's request
   * slots) for up to a second; with 256 MB it checkpoints once, when the state is closed.
   */
  static final String CHECKPOINT_THRESHOLD = "256MB";

  /** Rows handed from the reading thread to the appending thread at a time, and chunks queued. */
  static final int STAGE_CHUNK_ROWS = 4096;

  static final int STAGE_QUEUE_CHUNKS = 8;

  private static final ObjectMapper CALL_JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Integer>> FAILED_MAP = new TypeReference<>() {};

  /** The fingerprint of the row-text path: {@link RowHash} of the row's typed JSON. */
  static final String JAVA_SCHEME = "java-rowhash-v1";

  /**
   * The fingerprint of the in-place path: DuckDB's {@code hash()} of the column values; the
   * stored scheme also names the DuckDB version and the query's columns and types. Bump the
   * version when the typed JSON of unchanged values changes.
   */
  static final String DUCKDB_SCHEME = "duckdb-hash-v1";

  /** The meta key that records the scheme of the delivered fingerprints. */
  static final String FINGERPRINT_KEY = "fingerprint";

  /** Primary key types whose SQL text (cast as varchar) is the text the row encoder writes. */
  static final Set<String> IN_PLACE_KEY_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
      "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "VARCHAR", "UUID");

  /** The in-memory catalog of the in-place planner's tables, shared by this store's connections. */
  private static final String SCRATCH = "rowstream_plan";

  private final String sync;
  /** Plans in temporary tables and streams the events; temporary tables are per connection. */
  private final DuckDBConnection connection;
  /** Writes acknowledgements, rejections and runs while {@link #connection} streams events. */
  private final DuckDBConnection writer;
  /** Writes API calls, under {@link #callLock}, so acknowledgements do not wait behind them. */
  private final DuckDBConnection callWriter;
  /** Taken after this store's monitor when both are needed, never before it. */
  private final Object callLock = new Object();
  private long ackSeq;
  /** What the last stage call left for {@link #plan}. */
  private Staging staging;

  /** Rows read by a stage, rows without a key, and the query's columns. */
  public record Staged(long rows, long nullKeys, List<String> columns) {
    public Staged {
      columns = List.copyOf(columns);
    }
  }

  /**
   * How the model was staged, in which fingerprint scheme, whether the delivered fingerprints are
   * of another scheme (then rows are compared by their text), and a query of the duplicated keys
   * and how many rows hold each (pk, n).
   */
  private record Staging(boolean inPlace, String scheme, boolean rescan, String duplicateRows) {}

  private StateStore(String sync, DuckDBConnection connection) throws SQLException {
    this.sync = sync;
    this.connection = connection;
    this.writer = (DuckDBConnection) connection.duplicate();
    try {
      this.callWriter = (DuckDBConnection) connection.duplicate();
    } catch (SQLException e) {
      closeQuietly(writer);
      throw e;
    }
  }

  /** Opens (creating if needed) the state of {@code sync} under {@code dir}. */
  public static StateStore open(Path dir, String sync) {
    Path file = dir.resolve(sync + ".duckdb");
    try {
      Files.createDirectories(dir.resolve("tmp"));
    } catch (IOException e) {
      throw StateFileErrors.cannotCreateFolder(dir, e);
    }
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    props.setProperty("memory_limit", DEFAULT_MEMORY_LIMIT);
    props.setProperty("temp_directory", dir.resolve("tmp").toString());
    props.setProperty("preserve_insertion_order", "false");
    props.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
    DuckDBConnection connection;
    try {
      connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, props);
    } catch (SQLException e) {
      throw StateFileErrors.cannotOpen(sync, file, e);
    }
    StateStore store;
    try {
      store = new StateStore(sync, connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw StateFileErrors.cannotOpen(sync, file, e);
    }
    try {
      store.createSchema();
      store.recover();
    } catch (SQLException e) {
      store.close();
      throw StateFileErrors.cannotOpen(sync, file, e);
    }
    return store;
  }

  private void createSchema() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("create table if not exists delivered (pk varchar not null, h bigint not null, row varchar not null)");
      s.execute("create table if not exists acks (seq bigint, pk varchar not null, op varchar not null, h bigint, row varchar)");
      s.execute("create table if not exists runs (run_id varchar primary key, started_at varchar not null, "
          + "finished_at varchar, status varchar not null, summary varchar)");
      s.execute("create table if not exists rejections (run_id varchar not null, pk varchar, op varchar, "
          + "reason varchar not null, message varchar not null)");
      s.execute("create table if not exists meta (key varchar primary key, value varchar)");
      s.execute("create table if not exists calls (run_id varchar not null, seq bigint not null, "
          + "operation varchar not null, started_ms bigint not null, duration_ms double not null, attempt integer, "
          + "http_status integer, request_id varchar, records integer, bytes bigint, failed varchar, error varchar)");
      // one row per record a call carried: columns compress far better than a JSON document per call
      s.execute("create table if not exists call_records (run_id varchar not null, call_seq bigint not null, "
          + "idx integer not null, pk varchar, shard varchar, sequence_number varchar, error_code varchar, "
          + "error_message varchar)");
    }
  }

  /** A run killed before its end left acknowledgements behind and its record as running. */
  private void recover() throws SQLException {
    mergeAcks();
    try (PreparedStatement s = connection.prepareStatement(
        "update runs set status = 'failed', summary = coalesce(summary, ?) where status = 'running'")) {
      s.setString(1, "{\"error\": \"the run was interrupted before it finished; what it delivered was kept\"}");
      s.executeUpdate();
    }
  }

  /** Whether a run of this sync has completed before: decides {@code initial_sync}. */
  public boolean initialized() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from meta where key = 'initialized'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  public void markInitialized() {
    execute("insert or replace into meta values ('initialized', 'true')");
  }

  /**
   * Reads every row of the model into the staging table. Rows without a primary key are not
   * staged: they are counted and reported to {@code nullKey}.
   *
   * @return rows read, rows without a key
   */
  public long[] stage(ModelCursor cursor, LongConsumer progress) {
    try {
      dropScratch();
      boolean rescan = storedScheme().map(stored -> !stored.equals(JAVA_SCHEME)).orElse(false);
      execute("create or replace temp table model (pk varchar, h bigint, row varchar)");
      long[] staged = append(cursor, "temp", "model", null, 0, progress);
      staging = new Staging(false, JAVA_SCHEME, rescan,
          "select pk, count(*) as n from model where pk in (select pk from dup) group by pk");
      return staged;
    } catch (SQLException e) {
      throw failed("staging the model in", e);
    }
  }

  /**
   * Stages a DuckDB model in place: attaches its file read-only, fingerprints every row in SQL,
   * compares the fingerprints with the delivered state, and reads and encodes through {@code
   * ModelCursor} only the rows that need their values: added and changed ones (every row on a
   * first run or when the fingerprint scheme changed). Empty, having staged nothing, when the
   * model cannot be planned in place (the caller then uses {@link #stage}); a query that fails
   * here is left to that path to report.
   */
  public Optional<Staged> stageInPlace(String sourceName, Path file, String query, String primaryKey,
      LongConsumer progress) {
    requireNonNull(sourceName, "sourceName is null");
    requireNonNull(file, "file is null");
    requireNonNull(query, "query is null");
    requireNonNull(primaryKey, "primaryKey is null");
    String sql = withoutTrailingSemicolons(query);
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
      execute(connection, "attach " + literal(file.toString()) + " (read_only)");
      Set<String> after = databases();
      after.removeAll(before);
      alias = after.iterator().next();
      execute(connection, "attach ':memory:' as " + SCRATCH);
      try (DuckDBConnection reader = (DuckDBConnection) connection.duplicate()) {
        // Unqualified table names in the query resolve in the model's file, as they would there.
        execute(reader, "use " + identifier(alias));
        Optional<Staged> staged = stageInPlace(reader, stateCatalog, sourceName, sql, primaryKey, progress);
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
          execute(connection, "detach " + identifier(alias));
        } catch (SQLException e) {
          throw failed("detaching the model from", e);
        }
      }
    }
  }

  private Optional<Staged> stageInPlace(DuckDBConnection reader, String stateCatalog, String sourceName, String sql,
      String primaryKey, LongConsumer progress) throws SQLException {
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
    if (key < 0 || new HashSet<>(names).size() != names.size()
        || !IN_PLACE_KEY_TYPES.contains(types.get(key).toUpperCase(Locale.ROOT))) {
      return Optional.empty(); // the row-text path reports these, or plans keys whose text SQL cannot reproduce
    }
    String scheme = DUCKDB_SCHEME + "; " + duckDbVersion() + "; " + columnSignature(names, types);
    boolean rescan = storedScheme().map(stored -> !stored.equals(scheme)).orElse(false);
    String model = "(\n" + sql + "\n) q";
    String keyText = "cast(q." + identifier(names.get(key)) + " as varchar)";
    StringBuilder values = new StringBuilder();
    for (int c = 0; c < names.size(); c++) {
      String column = "q." + identifier(names.get(c));
      values.append(c == 0 ? "" : ", ").append(column);
      if (types.get(c).equalsIgnoreCase("DOUBLE") || types.get(c).equalsIgnoreCase("FLOAT")) {
        // hash() takes -0.0 for 0.0; their JSON differs
        values.append(", signbit(").append(column).append(')');
      }
    }
    // DuckDB's hash is an unsigned 64-bit value; 63 of its bits fit the state's bigint column.
    // One aggregation by key gives the counts of NULL and duplicated keys too.
    String hash = "cast(hash(" + values + ") >> 1 as bigint)";
    execute(reader, "create table " + SCRATCH + ".fp as select pk, count(*) as n, min(h) as h from (select "
        + keyText + " as pk, " + hash + " as h from " + model + ") group by pk");
    long rows;
    long nullKeys;
    long duplicates;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select coalesce(sum(n), 0), coalesce(sum(n) filter (where pk is null), 0), "
            + "coalesce(sum(n) filter (where pk is not null and n > 1), 0) from " + SCRATCH + ".fp")) {
      rs.next();
      rows = rs.getLong(1);
      nullKeys = rs.getLong(2);
      duplicates = rs.getLong(3);
    }
    progress.accept(rows);
    execute(connection, "create or replace temp table dup as select pk from " + SCRATCH + ".fp "
        + "where pk is not null and n > 1");
    // One pass over both sides: keys to send (new, moved, or all on a rescan), duplicated, or removed.
    execute(connection, "create table " + SCRATCH + ".cmp as select m.pk as mpk, d.pk as dpk, m.h, m.n from "
        + "(select pk, n, h from " + SCRATCH + ".fp where pk is not null) m full join (select pk, h from delivered) d "
        + "on m.pk = d.pk"
        + (rescan ? "" : " where m.pk is null or d.pk is null or m.n > 1 or m.h <> d.h"));
    execute(connection, "create table " + SCRATCH + ".need as select mpk as pk, h, dpk is null as added from "
        + SCRATCH + ".cmp where mpk is not null and n = 1");
    long needed = count(SCRATCH + ".need");
    boolean everyRow = needed == rows - nullKeys - duplicates;
    execute(connection, "create table " + SCRATCH + ".encoded (pk varchar, h bigint, added boolean, row varchar)");
    // The fingerprint and whether the key is new come along as two columns after the row's own.
    // A first run or a new scheme needs every row: scan the query, no join with what is needed.
    String fetch = everyRow && count("delivered") == 0 ? "select q.*, " + hash + " as h, true from " + model
        : everyRow ? "select q.*, " + hash + " as h, d.pk is null from " + model + " left join "
            + identifier(stateCatalog) + ".main.delivered d on " + keyText + " = d.pk"
        : "select q.*, n.h, n.added from " + model + " join " + SCRATCH + ".need n on " + keyText + " = n.pk";
    Statement statement = reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ResultSet rs;
    try {
      rs = statement.executeQuery(fetch);
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
    try (ModelCursor cursor = ModelCursor.over(sourceName, rs, names.size(), primaryKey)) {
      append(cursor, SCRATCH, "encoded", rs, names.size() + 1, n -> { });
    }
    // A query whose rows differ between two evaluations (random(), limit without order) or a
    // key whose text SQL and the encoder write differently: plan on the row-text path instead.
    if (count(SCRATCH + ".need n where not exists (select 1 from " + SCRATCH + ".encoded e where e.pk = n.pk)") > 0) {
      return Optional.empty();
    }
    staging = new Staging(true, scheme, rescan, "select pk, n from " + SCRATCH + ".fp where pk is not null and n > 1");
    return Optional.of(new Staged(rows, nullKeys, names));
  }

  /**
   * Streams the cursor's rows into {@code catalog.main.table}: reading and encoding run on this
   * thread, hashing and appending on another: two cores, one pipeline. Without {@code planned}
   * the table is (pk, h, row) and h is the row text's {@link RowHash}; with it, (pk, h, added,
   * row) and h and added are the two columns of {@code planned} from {@code plannedColumn} on.
   */
  private long[] append(ModelCursor cursor, String catalog, String table, ResultSet planned, int plannedColumn,
      LongConsumer progress) {
    BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(STAGE_QUEUE_CHUNKS);
    ExecutorService appenderThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "rowstream-stage"));
    Future<?> appending = appenderThread.submit(() -> {
      try (DuckDBAppender appender = connection.createAppender(catalog, "main", table)) {
        for (Chunk chunk = chunks.take(); chunk != Chunk.END; chunk = chunks.take()) {
          for (int i = 0; i < chunk.size; i++) {
            appender.beginRow().append(chunk.keys[i]);
            if (chunk.hashes == null) {
              appender.append(RowHash.of(chunk.rows[i]));
            } else {
              appender.append(chunk.hashes[i]).append(chunk.added[i]);
            }
            appender.append(chunk.rows[i]).endRow();
          }
        }
        appender.flush();
      }
      return null;
    });
    long rows = 0;
    long nullKeys = 0;
    try {
      Chunk chunk = new Chunk(planned != null);
      while (cursor.next()) {
        rows++;
        String key = cursor.key();
        if (key == null) {
          nullKeys++;
          continue;
        }
        chunk.keys[chunk.size] = key;
        chunk.rows[chunk.size] = cursor.rowJson();
        if (planned != null) {
          chunk.hashes[chunk.size] = planned.getLong(plannedColumn);
          chunk.added[chunk.size] = planned.getBoolean(plannedColumn + 1);
        }
        if (++chunk.size == STAGE_CHUNK_ROWS) {
          put(chunks, chunk, appending);
          chunk = new Chunk(planned != null);
          progress.accept(rows);
        }
      }
      if (chunk.size > 0) {
        put(chunks, chunk, appending);
      }
      put(chunks, Chunk.END, appending);
      appending.get();
      progress.accept(rows);
      return new long[] {rows, nullKeys};
    } catch (SQLException e) {
      throw failed("staging the model in", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof SQLException sql ? failed("staging the model in", sql)
          : RowstreamException.fatal("staging the model failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted while staging the model");
    } finally {
      appending.cancel(true);
      appenderThread.shutdownNow();
    }
  }

  /** Rows handed from the reading thread to the appending one. */
  private static final class Chunk {
    static final Chunk END = new Chunk(false);

    final String[] keys = new String[STAGE_CHUNK_ROWS];
    final String[] rows = new String[STAGE_CHUNK_ROWS];
    /** Null when the appender fingerprints the rows' text. */
    final long[] hashes;
    final boolean[] added;
    int size;

    Chunk(boolean planned) {
      this.hashes = planned ? new long[STAGE_CHUNK_ROWS] : null;
      this.added = planned ? new boolean[STAGE_CHUNK_ROWS] : null;
    }
  }

  /** Hands a chunk to the appender thread, unless it already failed (then its error surfaces). */
  private static void put(BlockingQueue<Chunk> chunks, Chunk chunk, Future<?> appending)
      throws InterruptedException, ExecutionException {
    while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
      if (appending.isDone()) {
        appending.get();
        throw new ExecutionException(new IllegalStateException("the appender stopped early"));
      }
    }
  }

  /** Compares the staged model with the delivered state. */
  public PlanCounts plan(long rowsQueried, long nullKeys) {
    if (staging == null) {
      throw new IllegalStateException("plan() before stage()");
    }
    if (staging.inPlace()) {
      // encoded holds the rows to send: keys new, or whose fingerprint moved (every key on a rescan)
      boolean anyRemoved;
      try {
        anyRemoved = count(SCRATCH + ".cmp where mpk is null") > 0;
      } catch (SQLException e) {
        throw failed("planning in", e);
      }
      execute("create or replace temp table events as "
          + "select case when e.added then 'added' else 'changed' end as op, e.pk, e.h, e.row from "
          + SCRATCH + ".encoded e"
          + (staging.rescan() ? " left join delivered d on e.pk = d.pk where (e.added or d.row <> e.row) and"
              : " where")
          + " e.pk not in (select pk from dup)"
          // delivered rows' text is read only for removed keys, and not at all when there are none
          + (anyRemoved ? " union all select 'removed', d.pk, d.h, d.row from delivered d semi join (select dpk from "
              + SCRATCH + ".cmp where mpk is null) r on d.pk = r.dpk" : ""));
    } else {
      execute("create or replace temp table dup as select pk from model group by pk having count(*) > 1");
      // On a rescan the delivered fingerprints are of another scheme: compare the rows' text.
      execute("create or replace temp table events as "
          + "select 'added' as op, m.pk, m.h, m.row from model m anti join delivered d on m.pk = d.pk "
          + "where m.pk not in (select pk from dup) "
          + "union all select 'changed', m.pk, m.h, m.row from model m join delivered d on m.pk = d.pk "
          + "where " + (staging.rescan() ? "m.row <> d.row" : "m.h <> d.h") + " and m.pk not in (select pk from dup) "
          + "union all select 'removed', d.pk, d.h, d.row from delivered d anti join model m on m.pk = d.pk");
    }
    long added = 0;
    long changed = 0;
    long removed = 0;
    long duplicates = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select op, count(*) from events group by op "
            + "union all select 'dup', coalesce(sum(n), 0) from (" + staging.duplicateRows() + ")")) {
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
   * Records the planner's fingerprint scheme. When it differs from the one the delivered rows
   * were recorded in, the plan compared the rows' text instead, and the rows found unchanged take
   * their new fingerprints, in the same transaction; other rows take theirs when acknowledged.
   * Call it once per run that may change the state, after {@link #plan}.
   */
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
      statements.add(staging.inPlace()
          ? "update delivered set h = e.h from " + SCRATCH + ".encoded e "
              + "where delivered.pk = e.pk and delivered.row = e.row and e.pk not in (select pk from dup)"
          : "update delivered set h = m.h from model m where delivered.pk = m.pk and delivered.row = m.row "
              + "and m.pk not in (select pk from dup)");
    }
    statements.add("insert or replace into meta values ('" + FINGERPRINT_KEY + "', " + literal(staging.scheme()) + ")");
    transaction(connection, statements);
  }

  /** The scheme the delivered fingerprints are in; none while nothing was delivered. */
  private Optional<String> storedScheme() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select (select value from meta where key = '" + FINGERPRINT_KEY + "'), "
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

  /** Records every row of a duplicated key as rejected in {@code runId}. */
  public void rejectDuplicates(String runId) {
    try (PreparedStatement s = connection.prepareStatement(
        "insert into rejections select ?, pk, null, ?, 'primary key value ' || pk || ' is held by ' "
            + "|| n || ' rows of the model; none of them is sent' from (" + staging.duplicateRows() + ")")) {
      s.setString(1, runId);
      s.setString(2, Rejection.DUPLICATE_PRIMARY_KEY);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failed("writing", e);
    }
  }

  /** Streams the planned events; the iterator must be closed. */
  public EventStream events() {
    try {
      Statement s = connection.createStatement();
      ResultSet rs = s.executeQuery("select op, pk, row, h from events");
      return new EventStream(s, rs);
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  /** Initial sync {@code skip}: the model becomes the delivered state, nothing is sent. */
  public void recordBaseline() {
    transaction(connection, List.of(
        "delete from delivered where pk in (select pk from events)",
        "insert into delivered select pk, h, row from events where op <> 'removed'"));
  }

  /**
   * Durably records rows whose events were acknowledged; their state advances at the next
   * {@link #mergeAcks}. Safe to call from several threads.
   */
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
  public synchronized void mergeAcks() {
    // in slices of about ACKS_PER_MERGE keys, so DuckDB's memory limit holds for 10M+ acks
    long slices = 1 + ackSeq / ACKS_PER_MERGE;
    List<String> statements = new ArrayList<>();
    for (long slice = 0; slice < slices; slice++) {
      String where = slices == 1 ? "" : " where hash(pk) % " + slices + " = " + slice;
      statements.add("delete from delivered where pk in (select pk from acks" + where + ")");
      statements.add("insert into delivered select pk, arg_max(h, seq), arg_max(row, seq) from acks" + where
          + " group by pk having arg_max(op, seq) <> 'removed'");
    }
    statements.add("delete from acks");
    transaction(writer, statements);
    ackSeq = 0;
  }

  /** Acknowledgements folded into the delivered state by one statement. */
  static final long ACKS_PER_MERGE = 2_000_000;

  public synchronized void reject(String runId, List<RejectedRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement s = writer.prepareStatement("insert into rejections values (?, ?, ?, ?, ?)")) {
      for (RejectedRow row : rows) {
        s.setString(1, runId);
        s.setString(2, row.key());
        s.setString(3, row.event());
        s.setString(4, row.reason());
        s.setString(5, row.message());
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw failed("recording rejected rows in", e);
    }
  }

  public List<RejectedRow> rejections(String runId, int limit) {
    return readRejections("where run_id = ? order by reason, pk limit ?", runId, limit);
  }

  private List<RejectedRow> readRejections(String condition, Object... parameters) {
    List<RejectedRow> rows = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(
        "select pk, op, reason, message from rejections " + condition)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new RejectedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
    return rows;
  }

  public void runStarted(String runId, String startedAt) {
    update("insert into runs values (?, ?, null, 'running', null)", runId, startedAt);
  }

  public void runFinished(String runId, String finishedAt, String status, String summaryJson) {
    update("update runs set finished_at = ?, status = ?, summary = ? where run_id = ?",
        finishedAt, status, summaryJson, runId);
  }

  /** Newest first. */
  public List<RunRecord> runs(int limit) {
    List<RunRecord> runs = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(
        "select run_id, started_at, finished_at, status, summary from runs order by started_at desc, run_id desc limit ?")) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          runs.add(new RunRecord(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
              rs.getString(4), Optional.ofNullable(rs.getString(5))));
        }
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
    return runs;
  }

  /** Whether {@code sync} has a state under {@code dir} (without creating one). */
  public static boolean exists(Path dir, String sync) {
    return Files.exists(dir.resolve(sync + ".duckdb"));
  }

  /** One run, if this state holds it. */
  public Optional<RunRecord> run(String runId) {
    try (PreparedStatement s = connection.prepareStatement(
        "select run_id, started_at, finished_at, status, summary from runs where run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new RunRecord(rs.getString(1), rs.getString(2),
            Optional.ofNullable(rs.getString(3)), rs.getString(4), Optional.ofNullable(rs.getString(5))))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    }
  }

  /** The rejections of one row in one run. */
  public List<RejectedRow> rejections(String runId, String key) {
    return readRejections("where run_id = ? and pk = ?", runId, key);
  }

  /**
   * A {@link CallLog} that stores the API calls of {@code runId} in this state, in batches, from
   * any thread. {@link Calls#flush()} before the run is recorded as finished.
   *
   * @param secrets values that must never be stored (scrubbed from error messages)
   */
  public Calls calls(String runId, Collection<String> secrets) {
    return new Calls(runId, List.copyOf(secrets));
  }

  /** The calls of a run in the order they started, without their keys and entries. */
  public List<StoredCall> calls(String runId) {
    List<StoredCall> calls = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("select " + CALL_COLUMNS
        + " from calls where run_id = ? order by started_ms, seq")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          calls.add(storedCall(rs, List.of(), List.of()));
        }
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    } catch (IOException e) {
      throw RowstreamException.fatal("the calls stored in the state of sync " + sync + " are damaged: " + e.getMessage());
    }
    return calls;
  }

  /** Every time the record of row {@code key} was carried by a call of {@code runId}, in order. */
  public List<KeyInCall> callsCarrying(String runId, String key) {
    List<KeyInCall> found = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("select " + prefixed("c.", CALL_COLUMNS)
        + ", r.idx, r.shard, r.sequence_number, r.error_code, r.error_message from call_records r "
        + "join calls c on c.run_id = r.run_id and c.seq = r.call_seq "
        + "where r.run_id = ? and r.pk = ? order by c.started_ms, c.seq")) {
      s.setString(1, runId);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Optional<EntryResult> result = rs.getString(13) != null
              ? Optional.of(EntryResult.stored(rs.getString(13), rs.getString(14)))
              : rs.getString(15) != null ? Optional.of(EntryResult.failed(rs.getString(15), rs.getString(16)))
              : Optional.empty();
          found.add(new KeyInCall(storedCall(rs, List.of(), List.of()), rs.getInt(12), result));
        }
      }
    } catch (SQLException e) {
      throw failed("reading", e);
    } catch (IOException e) {
      throw RowstreamException.fatal("the calls stored in the state of sync " + sync + " are damaged: " + e.getMessage());
    }
    return found;
  }

  private static String prefixed(String prefix, String columns) {
    return prefix + columns.replace(", ", ", " + prefix);
  }

  private static final String CALL_COLUMNS = "seq, operation, started_ms, duration_ms, attempt, http_status, "
      + "request_id, records, bytes, failed, error";

  private StoredCall storedCall(ResultSet rs, List<String> keys, List<EntryResult> entries)
      throws SQLException, IOException {
    Map<String, Integer> failedByCode = rs.getString(10) == null ? Map.of()
        : CALL_JSON.readValue(rs.getString(10), FAILED_MAP);
    ApiCall call = new ApiCall(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
        Duration.ofNanos(Math.round(rs.getDouble(4) * 1_000_000)), rs.getInt(5), rs.getInt(6),
        Optional.ofNullable(rs.getString(7)), rs.getInt(8), rs.getLong(9), keys, entries,
        Optional.ofNullable(rs.getString(11)));
    return new StoredCall(rs.getLong(1), call, failedByCode);
  }

  private void appendCalls(String runId, List<CallRow> rows) {
    synchronized (callLock) {
      try (DuckDBAppender calls = callWriter.createAppender("main", "calls");
          DuckDBAppender records = callWriter.createAppender("main", "call_records")) {
        for (CallRow row : rows) {
          ApiCall c = row.call();
          calls.beginRow().append(runId).append(row.seq()).append(c.operation()).append(c.startedAt().toEpochMilli())
              .append(c.duration().toNanos() / 1_000_000.0).append(c.attempt()).append(c.httpStatus());
          appendNullable(calls, c.requestId().orElse(null));
          calls.append(c.records()).append(c.bytes());
          appendNullable(calls, row.failed());
          appendNullable(calls, c.error().orElse(null));
          calls.endRow();
          for (int i = 0; i < c.keys().size(); i++) {
            records.beginRow().append(runId).append(row.seq()).append(i);
            appendNullable(records, c.keys().get(i));
            EntryResult e = i < c.entries().size() ? c.entries().get(i) : null;
            appendNullable(records, e == null ? null : e.shardId());
            appendNullable(records, e == null ? null : e.sequenceNumber());
            appendNullable(records, e == null ? null : e.errorCode());
            appendNullable(records, e == null ? null : e.errorMessage());
            records.endRow();
          }
        }
        calls.flush();
        records.flush();
      } catch (SQLException e) {
        throw failed("recording API calls in", e);
      }
    }
  }

  private static void appendNullable(DuckDBAppender appender, String value) throws SQLException {
    if (value == null) {
      appender.appendNull();
    } else {
      appender.append(value);
    }
  }

  /**
   * Deletes the runs that started before {@code cutoff}, their rejections and their calls (runs
   * still marked running are kept). Returns how many runs were deleted.
   */
  public synchronized int deleteRunsBefore(Instant cutoff) {
    String old = "select run_id from runs where status <> 'running' and cast(started_at as timestamptz) < "
        + "cast(? as timestamptz)";
    // callLock keeps the run's call appends (on callWriter) out of this transaction
    synchronized (callLock) {
      return deleteRuns(old, cutoff);
    }
  }

  private int deleteRuns(String old, Instant cutoff) {
    try {
      writer.setAutoCommit(false);
      int runs;
      try {
        for (String table : List.of("call_records", "calls")) {
          try (PreparedStatement s = writer.prepareStatement("delete from " + table + " where run_id in (" + old
              + ") or run_id in (select run_id from calls group by run_id having max(started_ms) < ?)")) {
            s.setString(1, cutoff.toString());
            s.setLong(2, cutoff.toEpochMilli());
            s.executeUpdate();
          }
        }
        try (PreparedStatement s = writer.prepareStatement("delete from rejections where run_id in (" + old + ")")) {
          s.setString(1, cutoff.toString());
          s.executeUpdate();
        }
        try (PreparedStatement s = writer.prepareStatement("delete from runs where run_id in (" + old + ")")) {
          s.setString(1, cutoff.toString());
          runs = s.executeUpdate();
        }
        writer.commit();
      } catch (SQLException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
      return runs;
    } catch (SQLException e) {
      throw failed("deleting old runs from", e);
    }
  }

  /** A call, scrubbed outside the state's lock. */
  private record CallRow(long seq, ApiCall call, String failed) {}

  /**
   * Stores the API calls of one run: each call is scrubbed on the thread that reports it, and
   * written with the others of its batch in one append.
   */
  public final class Calls implements CallLog {
    /** Calls written in one append; a 1M-row backfill makes about 2,000. */
    static final int BATCH = 64;

    private final String runId;
    private final List<String> secrets;
    private final AtomicLong seq = new AtomicLong();
    private List<CallRow> pending = new ArrayList<>();
    private RuntimeException failure;

    private Calls(String runId, List<String> secrets) {
      this.runId = runId;
      this.secrets = secrets;
    }

    @Override
    public void record(ApiCall call) {
      CallRow row;
      try {
        row = serialize(seq.incrementAndGet(), call);
      } catch (IOException e) {
        row = null;
      }
      List<CallRow> full = null;
      synchronized (this) {
        if (row != null && failure == null) {
          pending.add(row);
        }
        if (pending.size() >= BATCH) {
          full = pending;
          pending = new ArrayList<>();
        }
      }
      if (full != null) {
        write(full);
      }
    }

    /** Writes what is buffered; throws if any write of this run failed. */
    public void flush() {
      List<CallRow> rest;
      synchronized (this) {
        rest = pending;
        pending = new ArrayList<>();
      }
      if (!rest.isEmpty()) {
        write(rest);
      }
      synchronized (this) {
        if (failure != null) {
          throw failure;
        }
      }
    }

    private void write(List<CallRow> rows) {
      try {
        appendCalls(runId, rows);
      } catch (RuntimeException e) {
        // the calls are for debugging; a failed write must not stop sending, flush() reports it
        synchronized (this) {
          if (failure == null) {
            failure = e;
          }
        }
      }
    }

    private CallRow serialize(long n, ApiCall call) throws IOException {
      Map<String, Integer> failedByCode = new TreeMap<>();
      List<EntryResult> entries = new ArrayList<>(call.entries().size());
      for (EntryResult e : call.entries()) {
        if (e.ok()) {
          entries.add(e);
        } else {
          failedByCode.merge(e.errorCode(), 1, Integer::sum);
          entries.add(EntryResult.failed(e.errorCode(), Redaction.scrub(e.errorMessage(), secrets)));
        }
      }
      ApiCall scrubbed = new ApiCall(call.operation(), call.startedAt(), call.duration(), call.attempt(),
          call.httpStatus(), call.requestId(), call.records(), call.bytes(), call.keys(), entries,
          call.error().map(text -> Redaction.scrub(text, secrets)));
      return new CallRow(n, scrubbed, failedByCode.isEmpty() ? null : CALL_JSON.writeValueAsString(failedByCode));
    }
  }

  @Override
  public synchronized void close() {
    dropScratch();
    // everything acknowledged was committed by ack(); nothing else is pending
    synchronized (callLock) {
      closeQuietly(callWriter);
    }
    closeQuietly(writer);
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing to do about it, and the next connection to close must still be closed
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

  private synchronized void update(String sql, String... args) {
    try (PreparedStatement s = writer.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw failed("updating", e);
    }
  }

  private RowstreamException failed(String doing, SQLException e) {
    return RowstreamException.fatal("error " + doing + " the state of sync " + sync + ": " + firstLine(e.getMessage()), e);
  }

  /** Detaches the in-place planner's scratch tables, if there are any. */
  private void dropScratch() {
    try {
      execute(connection, "detach database if exists " + SCRATCH);
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
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String duckDbVersion() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select version()")) {
      rs.next();
      return "duckdb " + rs.getString(1);
    }
  }

  private long count(String from) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(Connection on, String sql) throws SQLException {
    try (Statement s = on.createStatement()) {
      s.execute(sql);
    }
  }

  /** Names and types: a renamed column or a new type makes every row's JSON differ. */
  private static String columnSignature(List<String> names, List<String> types) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < names.size(); c++) {
      b.append(c == 0 ? "" : ", ").append(identifier(names.get(c))).append(' ').append(types.get(c));
    }
    return b.toString();
  }

  private static String withoutTrailingSemicolons(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return q;
  }

  private static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Planned events in no particular order, streamed from DuckDB. */
  public static final class EventStream implements Iterator<PlannedEvent>, AutoCloseable {
    private final Statement statement;
    private final ResultSet rs;
    private PlannedEvent next;

    private EventStream(Statement statement, ResultSet rs) {
      this.statement = statement;
      this.rs = rs;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          if (rs.next()) {
            next = new PlannedEvent(EventType.parse(rs.getString(1)).orElseThrow(), rs.getString(2), rs.getString(3),
                rs.getLong(4));
          }
        } catch (SQLException e) {
          throw RowstreamException.fatal("reading planned events failed: " + firstLine(e.getMessage()), e);
        }
      }
      return next != null;
    }

    @Override
    public PlannedEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      PlannedEvent event = next;
      next = null;
      return event;
    }

    @Override
    public void close() {
      try {
        rs.close();
        statement.close();
      } catch (SQLException ignored) {
        // read-only
      }
    }
  }
}
