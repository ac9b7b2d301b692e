package io.rowstream.state;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Why a sync's state file or folder cannot be opened, named by its real cause: held by another
 * process ({@link ErrorCode#STATE_LOCKED}), damaged ({@link ErrorCode#STATE_CORRUPT}), or not
 * writable ({@link ErrorCode#STATE_UNWRITABLE}); each with where, and what to do.
 */
public final class StateFileErrors {
  private StateFileErrors() {}

  /** The state folder {@code dir} cannot be created. */
  public static RowstreamException cannotCreateFolder(Path dir, IOException e) {
    return RowstreamException.fatal(
        ErrorCode.STATE_UNWRITABLE,
        "cannot create the state folder "
            + dir
            + ": "
            + describe(e)
            + "; fix its permissions, or point state: in rowstream.yaml at a folder this user may write",
        e);
  }

  /** What an I/O error means, in words ({@code permission denied}), with the file it is about. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException a) {
      return "permission denied on " + a.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a folder";
    }
    if (e instanceof FileSystemException f) {
      return (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason())
          + " ("
          + f.getFile()
          + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The state file of {@code sync} cannot be opened or read. */
  public static RowstreamException cannotOpen(String sync, Path file, SQLException e) {
    String message = firstLine(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("could not set lock")
        || lower.contains("conflicting lock")
        || lower.contains("database is locked")) {
      return RowstreamException.fatal(
          ErrorCode.STATE_LOCKED,
          "the state of sync "
              + sync
              + " ("
              + file
              + ") is in use by another rowstream process; wait for it to finish. "
              + message,
          e);
    }
    if (lower.contains("permission denied") || lower.contains("read-only file system")) {
      return RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "the state of sync "
              + sync
              + " ("
              + file
              + ") cannot be written: "
              + message
              + "; fix the permissions of the file and its folder",
          e);
    }
    if (isCorruption(lower)) {
      return RowstreamException.fatal(
          ErrorCode.STATE_CORRUPT,
          "the state of sync "
              + sync
              + " is damaged: "
              + file
              + " cannot be read ("
              + message
              + "). Restore it from a backup; or move it aside (mv "
              + file
              + " "
              + file
              + ".damaged) and run again: the next run sends every row as added (a full resync), or records a baseline "
              + "without sending if the sync has initial_sync: skip",
          e);
    }
    return RowstreamException.fatal(
        ErrorCode.INTERNAL_ERROR,
        "cannot open the state of sync " + sync + " (" + file + "): " + message,
        e);
  }

  private static boolean isCorruption(String lower) {
    return lower.contains("corrupt")
        || lower.contains("checksum")
        || lower.contains("not a valid duckdb")
        || lower.contains("serialization error")
        || lower.contains("invalid block")
        || lower.contains("failed to read")
        || lower.contains("database file") && lower.contains("invalid")
        || lower.contains("is not a valid")
        || lower.contains("not a database")
        || lower.contains("malformed");
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message;
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }
}
