package io.rowstream.store.sqlite;

import io.rowstream.core.RowstreamException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opening SQLite files and running statements on them: the one SQL helper of this package. */
final class Sqlite {
  /** How long a writer waits for another writer's commit (calls and runs share the file). */
  static final int BUSY_TIMEOUT_MS = 10_000;

  private Sqlite() {}

  /** A connection that may write; the file is created and put in WAL mode. */
  static Connection writer(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // WAL with synchronous NORMAL: a commit survives a killed process (not a power cut); the
    // delivered state's acknowledgements are in the DuckDB file, which this does not weaken.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setCacheSize(WRITER_CACHE_KIB);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /**
   * A negative cache size is in KiB: 64 MiB keeps the key index of a backfill's calls in memory.
   */
  static final int WRITER_CACHE_KIB = -64 * 1024;

  /** A connection that only reads; in WAL mode it never waits for a writer, nor holds one up. */
  static Connection reader(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  static void execute(Connection on, String... statements) throws SQLException {
    try (Statement s = on.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  static PreparedStatement prepare(Connection on, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement s = on.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
    } catch (SQLException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Runs {@code work} in one transaction on {@code on}, rolling back if it fails. */
  static <T> T inTransaction(Connection on, SqlWork<T> work) throws SQLException {
    on.setAutoCommit(false);
    try {
      T result = work.run();
      on.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      on.rollback();
      throw e;
    } finally {
      on.setAutoCommit(true);
    }
  }

  interface SqlWork<T> {
    T run() throws SQLException;
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing to do about it, and the next connection to close must still be closed
    }
  }

  static RowstreamException failed(String doing, String sync, SQLException e) {
    return RowstreamException.fatal(
        "error " + doing + " the run history of sync " + sync + ": " + firstLine(e.getMessage()),
        e);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
