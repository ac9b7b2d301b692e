package io.rowstream.store.duckdb;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.state.StateFileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * Opens a {@link DuckDbState}: the sync's file to change it (taking its lock), or read-only to plan
 * beside a run; with the connection settings planning needs (memory limit, spill folder, checkpoint
 * threshold).
 */
final class StateFileOpener {
  private StateFileOpener() {}

  /**
   * Opens (creating if needed) the state of {@code sync} under {@code dir} to change it. The file's
   * lock is the sync's lease: one process at a time.
   */
  static DuckDbState open(Path dir, String sync) {
    Path file = DuckDbState.file(dir, sync);
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
  static DuckDbState openReadOnly(Path dir, String sync) {
    Path file = DuckDbState.file(dir, sync);
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
            store.connection(),
            "attach "
                + DuckDb.literal(file.toString())
                + " as "
                + READ_ONLY_STATE
                + " (read_only)");
        DuckDb.execute(store.connection(), "use " + READ_ONLY_STATE);
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

  private static Properties properties(Path spill, boolean readOnly) {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    props.setProperty("memory_limit", DuckDbState.DEFAULT_MEMORY_LIMIT);
    props.setProperty("temp_directory", spill.toString());
    props.setProperty("preserve_insertion_order", "false");
    props.setProperty("checkpoint_threshold", DuckDbState.CHECKPOINT_THRESHOLD);
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
}
