package io.rowstream.store.duckdb;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.state.SyncDocuments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code STATE_DIR/SYNC.NAME.json}: written to a temporary file, forced to disk and renamed over
 * the old one, so a crash leaves the old document or the new one; locked with an OS file lock on
 * {@code STATE_DIR/.SYNC.NAME.lock}.
 */
public final class JsonFileDocuments implements SyncDocuments {
  /**
   * OS file locks are per process: two holders in one JVM would fail with
   * OverlappingFileLockException, so holders in this JVM queue here first.
   */
  private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path dir;

  public JsonFileDocuments(Path stateDir) {
    this.dir = stateDir;
  }

  Path file(String sync, String name) {
    return dir.resolve(sync + "." + name + ".json");
  }

  @Override
  public Optional<String> load(String sync, String name) {
    Path file = file(sync, name);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "the "
              + name
              + " state of sync "
              + sync
              + " ("
              + file
              + ") cannot be read: "
              + e.getMessage()
              + "; fix its permissions, or move it aside to start afresh");
    }
  }

  @Override
  public <T> T locked(String sync, String name, Supplier<T> work) {
    Path lockFile = dir.resolve("." + sync + "." + name + ".lock");
    synchronized (
        IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
      try {
        Files.createDirectories(lockFile.getParent());
        try (FileChannel channel =
                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            var lock = channel.lock()) {
          return work.get();
        }
      } catch (IOException e) {
        throw RowstreamException.fatal(
            ErrorCode.STATE_UNWRITABLE,
            "cannot lock the "
                + name
                + " state of sync "
                + sync
                + " ("
                + lockFile
                + "): "
                + e.getMessage());
      }
    }
  }

  @Override
  public void save(String sync, String name, String json) {
    Path file = file(sync, name);
    Path temp = dir.resolve("." + sync + "." + name + ".json.tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "cannot write the "
              + name
              + " state of sync "
              + sync
              + " to "
              + file
              + ": "
              + e.getMessage());
    }
  }
}
