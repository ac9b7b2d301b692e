package io.rowstream.store.duckdb;

import io.rowstream.core.RowstreamException;
import io.rowstream.plan.RowHash;
import io.rowstream.source.ModelCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Stages a model's rows into a DuckDB table on two threads: read and encode | hash and append. */
final class StagingPipeline {
  /** Rows handed from the reading thread to the appending thread at a time, and chunks queued. */
  static final int STAGE_CHUNK_ROWS = 4096;

  static final int STAGE_QUEUE_CHUNKS = 8;

  private final DuckDBConnection connection;
  private final BiFunction<String, SQLException, RowstreamException> failed;

  StagingPipeline(
      DuckDBConnection connection, BiFunction<String, SQLException, RowstreamException> failed) {
    this.connection = connection;
    this.failed = failed;
  }

  /**
   * Streams the cursor's rows into {@code catalog.main.table}: reading and encoding run on this
   * thread, hashing and appending on another: two cores, one pipeline. Without {@code planned} the
   * table is (pk, h, row) and h is the row text's {@link RowHash}; with it, (pk, h, added, row) and
   * h and added are the two columns of {@code planned} from {@code plannedColumn} on.
   */
  long[] append(
      ModelCursor cursor,
      String catalog,
      String table,
      ResultSet planned,
      int plannedColumn,
      LongConsumer progress) {
    BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(STAGE_QUEUE_CHUNKS);
    ExecutorService appenderThread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "rowstream-stage"));
    Future<?> appending =
        appenderThread.submit(
            () -> {
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
      throw failed.apply("staging the model in", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof SQLException sql
          ? failed.apply("staging the model in", sql)
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
}
