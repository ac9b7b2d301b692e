package io.rowstream.store.synclog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.SyncLogConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * One run's events, appended to a file in the state folder while the run goes on, so a run of
 * millions of rows holds none of them in memory. {@link #finish} adds the run's row and makes the
 * spool pending: {@link SyncLogLoader} writes it to the warehouse and then deletes it.
 *
 * <p>Files, in {@code STATE/sync-logs/}: {@code RUN.events.csv.part} while the run writes; then
 * {@code RUN.events.csv} and {@code RUN.run.json} (the run's row and where it goes), the run file
 * last, so a pending spool is always whole.
 *
 * <p>A write that fails (a full disk) never fails the run: the spool stops, {@link #failure} says
 * why, and {@link #finish} drops it.
 */
public final class SyncLogSpool implements AutoCloseable {
  /** The folder of the state that holds the spools. */
  public static final String FOLDER = "sync-logs";

  static final String EVENTS = ".events.csv";
  static final String RUN = ".run.json";
  private static final String PART = ".part";
  private static final int BUFFER_BYTES = 1 << 16;

  private final Path folder;
  private final String runId;
  private final String sync;
  private final SyncLogConfig target;
  private final Path part;
  private Writer out;
  private FileChannel channel;
  private long events;
  private Optional<String> failure = Optional.empty();

  private SyncLogSpool(Path folder, String runId, String sync, SyncLogConfig target) {
    this.folder = folder;
    this.runId = runId;
    this.sync = sync;
    this.target = target;
    this.part = folder.resolve(runId + EVENTS + PART);
    try {
      Files.createDirectories(folder);
      channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      // held until the spool is finished: an unlocked part file is one whose process died
      channel.lock();
      out =
          new BufferedWriter(
              new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
              BUFFER_BYTES);
    } catch (IOException e) {
      fail(e);
    }
  }

  /** A spool for run {@code runId} of {@code sync}, to be written to {@code target}. */
  public static SyncLogSpool open(Path stateDir, String runId, String sync, SyncLogConfig target) {
    requireNonNull(stateDir, "stateDir is null");
    return new SyncLogSpool(
        stateDir.resolve(FOLDER),
        requireNonNull(runId, "runId is null"),
        requireNonNull(sync, "sync is null"),
        requireNonNull(target, "target is null"));
  }

  /** Kinesis stored the row's record in {@code shard} under {@code sequenceNumber}. */
  public synchronized void sent(
      String key, String op, String shard, String sequenceNumber, Instant at) {
    write(key, op, "sent", null, null, shard, sequenceNumber, at);
  }

  /** The row was rejected for {@code reason} (an error code); {@code message} is redacted. */
  public synchronized void rejected(
      String key, String op, String reason, String message, Instant at) {
    write(key, op, "rejected", reason, message, null, null, at);
  }

  private void write(
      String key,
      String op,
      String outcome,
      String reason,
      String message,
      String shard,
      String sequenceNumber,
      Instant at) {
    if (out == null) {
      return;
    }
    try {
      Csv.writeRecord(
          out,
          runId,
          sync,
          key,
          op,
          outcome,
          reason,
          message,
          shard,
          sequenceNumber,
          at.toString());
      events++;
    } catch (IOException e) {
      fail(e);
    }
  }

  public synchronized long events() {
    return events;
  }

  /** Why the spool stopped writing, if it did. */
  public synchronized Optional<String> failure() {
    return failure;
  }

  /**
   * Adds the run's row and leaves the spool pending for {@link SyncLogLoader}; returns false (and
   * keeps nothing) if the spool failed.
   */
  public synchronized boolean finish(LoggedRun run) {
    if (out == null) {
      return false;
    }
    try {
      // flushed, not closed: the lock stays until the spool is whole
      out.flush();
      ObjectNode json = run.toJson();
      json.putObject("target").put("source", target.source()).put("schema", target.schema());
      Path runTemp = folder.resolve(runId + RUN + PART);
      Files.writeString(runTemp, json.toString(), StandardCharsets.UTF_8);
      Files.move(part, folder.resolve(runId + EVENTS), StandardCopyOption.ATOMIC_MOVE);
      Files.move(runTemp, folder.resolve(runId + RUN), StandardCopyOption.ATOMIC_MOVE);
      out.close();
      out = null;
      return true;
    } catch (IOException e) {
      fail(e);
      return false;
    }
  }

  /** Drops what was not finished. */
  @Override
  public synchronized void close() {
    try {
      Files.deleteIfExists(part);
      Files.deleteIfExists(folder.resolve(runId + RUN + PART));
    } catch (IOException ignored) {
      // a part file left behind is never loaded: pending spools are the .run.json files
    }
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // deleted above
      }
      out = null;
    }
  }

  /**
   * Deletes the unfinished spools of runs whose process died ({@code kill -9}): their part files
   * are no longer locked. A run's events are lost with its process; its run reads as interrupted.
   */
  static void deleteAbandoned(Path folder) {
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "*" + EVENTS + PART)) {
      for (Path p : parts) {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE);
            FileLock lock = c.tryLock()) {
          if (lock != null) {
            Files.deleteIfExists(p);
          }
        } catch (OverlappingFileLockException | IOException inUse) {
          // a run of this process writes it, or it is gone already
        }
      }
    } catch (IOException ignored) {
      // tried again at the next load
    }
  }

  private void fail(IOException e) {
    failure = Optional.of("could not write the sync log's spool in " + folder + ": " + e);
    try {
      if (out != null) {
        out.close();
      } else if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // already failing
    }
    out = null;
  }
}
