package io.rowstream.store.synclog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.config.SourceConfig;
import io.rowstream.core.Redactor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Writes the pending spools of the state folder to their warehouse and deletes each once written.
 *
 * <p>Each run goes in one transaction: its row (keyed by run id, inserted only if absent) and its
 * events in bulk, so a run is logged whole or not at all, and a spool written before (a crash
 * between commit and delete) is not written twice. A spool is claimed with a file lock, so two
 * processes, or two runs of one {@code serve}, never load the same spool at once.
 */
public final class SyncLogLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a connection attempt to the log's database may take, in seconds. */
  static final int LOGIN_TIMEOUT_SECONDS = 10;

  /** One load at a time in a process: a DuckDB file takes one writer. */
  private static final Object LOADING = new Object();

  private final Path folder;
  private final Function<String, Optional<SourceConfig>> sources;
  private final Redactor redactor;

  /**
   * @param sources the configured source of a name, to find where a spool goes; a spool whose
   *     source is no longer configured stays pending
   */
  public SyncLogLoader(
      Path stateDir, Function<String, Optional<SourceConfig>> sources, Redactor redactor) {
    this.folder = stateDir.resolve(SyncLogSpool.FOLDER);
    this.sources = sources;
    this.redactor = redactor;
  }

  /** Writes every pending spool, oldest run first; one result per spool it tried. */
  public List<LoadResult> loadPending() {
    List<Path> pending = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SyncLogSpool.RUN)) {
      files.forEach(pending::add);
    } catch (IOException e) {
      return List.of();
    }
    pending.sort(null);
    SyncLogSpool.deleteAbandoned(folder);
    List<LoadResult> results = new ArrayList<>();
    synchronized (LOADING) {
      for (Path runFile : pending) {
        load(runFile).ifPresent(results::add);
      }
    }
    return results;
  }

  /** Loads one spool unless another loader holds it or it is gone. */
  private Optional<LoadResult> load(Path runFile) {
    String name = runFile.getFileName().toString();
    String runId = name.substring(0, name.length() - SyncLogSpool.RUN.length());
    Path events = folder.resolve(runId + SyncLogSpool.EVENTS);
    try (FileChannel channel =
            FileChannel.open(runFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null || !Files.exists(runFile)) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(Files.readString(runFile));
      LoggedRun run = LoggedRun.fromJson(json);
      String sourceName = json.path("target").path("source").asText();
      String schema = json.path("target").path("schema").asText();
      Optional<SourceConfig> source = sources.apply(sourceName);
      if (source.isEmpty()) {
        return Optional.of(
            pending(run, "source '" + sourceName + "' of its sync_log is no longer configured"));
      }
      long written;
      try {
        written = write(source.get(), schema, run, events);
      } catch (SQLException e) {
        return Optional.of(
            pending(run, "source " + sourceName + ": " + describe(e) + " (" + sqlState(e) + ")"));
      } catch (IOException | RuntimeException e) {
        return Optional.of(pending(run, "source " + sourceName + ": " + e));
      }
      Files.deleteIfExists(events);
      Files.deleteIfExists(runFile);
      return Optional.of(new LoadResult(run.runId(), run.sync(), written, Optional.empty()));
    } catch (NoSuchFileException | OverlappingFileLockException e) {
      // loaded and deleted by another loader, or being loaded by one in this process
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(
          new LoadResult(
              runId,
              "",
              0,
              Optional.of(redactor.scrub("cannot read spool " + runFile + ": " + e))));
    }
  }

  private LoadResult pending(LoggedRun run, String why) {
    return new LoadResult(run.runId(), run.sync(), 0, Optional.of(redactor.scrub(why)));
  }

  /** Writes the run in one transaction; returns its events written, 0 if it was logged before. */
  private static long write(SourceConfig source, String schema, LoggedRun run, Path events)
      throws SQLException, IOException {
    LogWriter writer =
        source.type() == SourceConfig.Type.POSTGRES
            ? new PostgresLogWriter()
            : new DuckDbLogWriter();
    try (Connection c = connect(source)) {
      writer.ensureTables(c, schema);
      c.setAutoCommit(false);
      try {
        if (!LogTables.insertRun(c, schema, run)) {
          c.rollback();
          return 0;
        }
        long n = writer.appendEvents(c, schema, events);
        c.commit();
        return n;
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is closed next; an open transaction ends with it
        }
        throw e;
      }
    }
  }

  private static Connection connect(SourceConfig source) throws SQLException {
    Properties props = new Properties();
    source.user().ifPresent(u -> props.setProperty("user", u));
    source.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    if (source.type() == SourceConfig.Type.POSTGRES) {
      props.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
      props.setProperty("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
      return DriverManager.getConnection(source.url().orElseThrow(), props);
    }
    return DriverManager.getConnection("jdbc:duckdb:" + source.path().orElseThrow(), props);
  }

  private static String sqlState(SQLException e) {
    return "SQLSTATE " + (e.getSQLState() == null ? "unknown" : e.getSQLState());
  }

  private static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    message = message.replace('\n', ' ');
    return message.length() > 600 ? message.substring(0, 600) + "..." : message;
  }
}
