package io.rowstream.store.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.duckdb.DuckDBConnection;

/**
 * The key passes of a plan streamed in place ({@link InPlaceStream}): the first decides the NULL
 * and duplicated keys before any event is handed out; the last reads the model's keys again, on a
 * connection of its own while the changed rows stream, keeps them for the removed keys, and must
 * find what the first found.
 */
final class ModelKeys {
  private final Statement statement;
  private final CompletableFuture<Void> reading;

  private ModelKeys(Statement statement, CompletableFuture<Void> reading) {
    this.statement = statement;
    this.reading = reading;
  }

  /**
   * Starts reading {@code modelKeys} (a query of one column, k) again on a new connection to the
   * database of {@code reader}, where unqualified names resolve in {@code alias}: into scratch
   * tables modelkeys (k) and dupkeys_again, as the first pass wrote dupkeys.
   */
  static ModelKeys readAgain(DuckDBConnection reader, String alias, String modelKeys, int bits)
      throws SQLException {
    DuckDBConnection again = reader.duplicate();
    Statement statement;
    try {
      DuckDb.execute(again, "use " + DuckDb.identifier(alias));
      DuckDb.execute(again, "set session perfect_ht_threshold = " + bits);
      statement = again.createStatement();
    } catch (SQLException e) {
      DuckDb.closeQuietly(again);
      throw e;
    }
    String scratch = DuckDbState.SCRATCH;
    CompletableFuture<Void> reading = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                statement.execute("create table " + scratch + ".modelkeys as " + modelKeys);
                for (String sql :
                    keyPass(
                        "select k from " + scratch + ".modelkeys",
                        scratch + ".dupkeys_again",
                        true)) {
                  statement.execute(sql);
                }
                reading.complete(null);
              } catch (SQLException | RuntimeException e) {
                reading.completeExceptionally(e);
              } finally {
                DuckDb.closeQuietly(again);
              }
            },
            "rowstream-model-keys");
    t.setDaemon(true);
    t.start();
    return new ModelKeys(statement, reading);
  }

  /**
   * Waits for the keys read again; fails with {@code source_not_repeatable} when they are not the
   * first pass's. Read on {@code on}.
   */
  void requireSameAsFirst(Connection on) throws SQLException {
    try {
      reading.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SQLException failure) {
        throw failure;
      }
      throw e;
    }
    requireSame(on);
  }

  /** Stops the reading, if it still runs, and waits for it: the scratch tables are dropped next. */
  void cancel() {
    if (!reading.isDone()) {
      try {
        statement.cancel();
      } catch (SQLException ignored) {
        // it may have ended meanwhile: waiting is enough
      }
    }
    try {
      reading.join();
    } catch (CompletionException ignored) {
      // cancelled, or failed: nothing is read from it any more
    }
  }

  /**
   * The model's query was read three times (keys, rows, keys); a query that does not return the
   * same rows each time (random(), now(), a LIMIT without ORDER BY, a table changed meanwhile)
   * could have sent a row whose key the first pass did not see as duplicated, or would remove keys
   * the model still holds. The first and the last pass must agree on the rows' count, the NULL and
   * duplicated keys and the checksum of the keys; otherwise no removed event is handed out and the
   * run fails before it commits.
   */
  private static void requireSame(Connection on) throws SQLException {
    String scratch = DuckDbState.SCRATCH;
    String columns = "pk, n, total, keysum";
    try (Statement s = on.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select (select count(*) from (select "
                    + columns
                    + " from "
                    + scratch
                    + ".dupkeys except all select "
                    + columns
                    + " from "
                    + scratch
                    + ".dupkeys_again)), (select count(*) from (select "
                    + columns
                    + " from "
                    + scratch
                    + ".dupkeys_again except all select "
                    + columns
                    + " from "
                    + scratch
                    + ".dupkeys)), (select n from "
                    + scratch
                    + ".dupkeys where total), (select n from "
                    + scratch
                    + ".dupkeys_again where total)")) {
      rs.next();
      if (rs.getLong(1) != 0 || rs.getLong(2) != 0) {
        throw RowstreamException.fatal(
            ErrorCode.SOURCE_NOT_REPEATABLE,
            "the model's query returned other rows when read again in this run (first read "
                + rs.getLong(3)
                + " rows, last read "
                + rs.getLong(4)
                + " rows, or other keys): it must return the same rows each time it runs "
                + "(no random(), now(), LIMIT without ORDER BY); nothing more is sent, "
                + "and no key is recorded as removed");
      }
    }
  }

  /**
   * The first key pass over {@code keys} into {@code target} (see {@link #keyPass}), on {@code
   * reader}. When {@code besideSending}, a run's sending side starts meanwhile: the destination's
   * client (the AWS SDK's classes and their compilation, one thread's work) and its producer, which
   * the first PutRecords waits for once the plan is fast; the pass then leaves that thread a core
   * (DuckDB's threads are the database's, so this is set for the pass and put back). Measured at
   * 10M rows on 2 cores: the run over its shards' time 1.039–1.049 instead of 1.050–1.053
   * (BENCHMARKS.md, "Incremental run").
   */
  static void firstPass(DuckDBConnection reader, String keys, String target, boolean besideSending)
      throws SQLException {
    List<String> passes = keyPass(keys, target, scanOnly(reader, keys));
    long threads = besideSending ? threads(reader) : 0;
    boolean leaveACore = threads > 1;
    if (leaveACore) {
      DuckDb.execute(reader, "set threads = " + (threads - 1));
    }
    try {
      for (String pass : passes) {
        DuckDb.execute(reader, pass);
      }
    } finally {
      if (leaveACore) {
        DuckDb.execute(reader, "set threads = " + threads);
      }
    }
  }

  private static long threads(Connection on) throws SQLException {
    try (Statement s = on.createStatement();
        ResultSet rs = s.executeQuery("select current_setting('threads')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The key pass over {@code keys} (one column, k) into table {@code target} (pk, n, total, keysum,
   * k): a row per NULL or duplicated key with how many rows hold it (as text, and as the model has
   * it), and one total row (pk NULL, total true) with the rows' count and the sum of the hashes of
   * the keys of every row.
   *
   * <p>With {@code readTwice}, the keys are read twice: grouped, keeping only the NULL and
   * duplicated keys, then once more for the totals. Otherwise they are read once, and every key's
   * group is kept to be totalled: at 10M keys that costs more than reading a table's key column
   * again (about 0.37 s against 0.27 s), but much less than running a query with joins twice.
   */
  static List<String> keyPass(String keys, String target, boolean readTwice) {
    String columns = " cast(k as varchar) as pk, n, false as total, null::hugeint as keysum, k";
    if (readTwice) {
      return List.of(
          "create table "
              + target
              + " as select"
              + columns
              + " from (select k, count(*) as n from ("
              + keys
              + ") group by k having count(*) > 1 or k is null)",
          "insert into "
              + target
              + " select null, count(*), true, "
              + KEY_SUM.formatted("1")
              + ", null from ("
              + keys
              + ")");
    }
    return List.of(
        "create table "
            + target
            + " as with g as materialized (select k, count(*) as n from ("
            + keys
            + ") group by k) select"
            + columns
            + " from g where n > 1 or k is null union all select null, coalesce(sum(n), 0), true, "
            + KEY_SUM.formatted("n")
            + ", null from g");
  }

  /** The sum of the keys' hashes, each counted {@code %s} times (a column or 1). */
  private static final String KEY_SUM =
      "coalesce(sum(%s * cast(hash(k) as hugeint)) filter (where k is not null), 0)";

  /**
   * Whether reading {@code keys} costs about what a scan of a stored key column costs: DuckDB plans
   * it as scans, filters and projections only (a table, a view over one, a filtered table), so the
   * key pass may read it twice.
   */
  static boolean scanOnly(Connection on, String keys) {
    String plan;
    try (Statement s = on.createStatement();
        ResultSet rs = s.executeQuery("explain (format json) " + keys)) {
      if (!rs.next()) {
        return false;
      }
      plan = rs.getString(rs.getMetaData().getColumnCount());
    } catch (SQLException e) {
      return false; // read once: the pass itself reports what is wrong with the query
    }
    try {
      return scanOnly(JSON.readTree(plan));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean scanOnly(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        if (!scanOnly(child)) {
          return false;
        }
      }
      return true;
    }
    return SCAN_OPERATORS.contains(node.path("name").asText()) && scanOnly(node.path("children"));
  }

  private static final Set<String> SCAN_OPERATORS =
      Set.of("SEQ_SCAN", "TABLE_SCAN", "PROJECTION", "FILTER");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How many bits of integer keys DuckDB may count in a table indexed by the key itself instead of
   * hashing them (a perfect hash aggregate; several times cheaper per row): enough for about twice
   * as many keys as were delivered, as the model holds about as many. That table's size follows the
   * keys' range, not the rows, so it is kept near the rows' count: a small model with keys far
   * apart is counted by hashing. DuckDB decides from the key column's statistics; keys it cannot
   * bound are hashed as before.
   */
  static int perfectHashBits(long keys) {
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(keys, 1)) + 1;
    return Math.max(DEFAULT_PERFECT_HASH_BITS, Math.min(MAX_PERFECT_HASH_BITS, bits));
  }

  /** DuckDB's default {@code perfect_ht_threshold}. */
  private static final int DEFAULT_PERFECT_HASH_BITS = 12;

  /** 2^24 counters per thread, about 150 MB each: the largest table the key pass may allocate. */
  private static final int MAX_PERFECT_HASH_BITS = 24;
}
