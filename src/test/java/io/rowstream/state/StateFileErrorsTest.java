package io.rowstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.store.duckdb.DuckDbState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state that cannot be opened is named by its real cause: damaged, held by another process, not
 * writable.
 */
class StateFileErrorsTest {
  @TempDir Path dir;

  /** A real state file, closed. */
  private Path stateWithARun() {
    try (DuckDbState state = DuckDbState.open(dir, "customers")) {
      state.markInitialized();
    }
    return dir.resolve("customers.duckdb");
  }

  private static void flipBytes(Path file, long offset, int count) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      for (int i = 0; i < count; i++) {
        f.seek(offset + i);
        int b = f.read();
        f.seek(offset + i);
        f.write(b ^ 0xFF);
      }
    }
  }

  @Test
  void aStateFileWithFlippedBytesIsReportedAsDamagedWithWhereAndWhatToDo() throws IOException {
    Path file = stateWithARun();
    long size = Files.size(file);
    for (long offset = 4096; offset < size; offset += 8192) {
      flipBytes(file, offset + 100, 4);
    }

    RowstreamException e =
        catchThrowableOfType(RowstreamException.class, () -> DuckDbState.open(dir, "customers"));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.STATE_CORRUPT);
    assertThat(e.getMessage())
        .startsWith("the state of sync customers is damaged: " + file + " cannot be read (")
        .contains(
            "Restore it from a backup; or move it aside (mv " + file + " " + file + ".damaged)")
        .doesNotContain("in use by another");
  }

  @Test
  void aStateFolderThatCannotBeCreatedSaysWhy() throws IOException {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");

    RowstreamException e =
        catchThrowableOfType(
            RowstreamException.class, () -> DuckDbState.open(file.resolve("state"), "customers"));

    assertThat(e.code()).isEqualTo(ErrorCode.STATE_UNWRITABLE);
    assertThat(e.getMessage())
        .startsWith("cannot create the state folder " + file.resolve("state") + ": ")
        .contains(file.toString())
        .contains("point state: in rowstream.yaml at a folder this user may write");
  }

  @Test
  void aLockHeldByAnotherProcessIsReportedAsInUseNotDamaged() {
    RowstreamException e =
        StateFileErrors.cannotOpen(
            "customers",
            dir.resolve("customers.duckdb"),
            new SQLException(
                "IO Error: Could not set lock on file \"customers.duckdb\": Conflicting lock is held in java (PID 4242)"));

    assertThat(e.code()).isEqualTo(ErrorCode.STATE_LOCKED);
    assertThat(e.getMessage())
        .contains("is in use by another rowstream process; wait for it to finish");
  }

  @Test
  void aDamagedBlockIsNotMistakenForALockBecauseBlockHoldsTheLetters() {
    RowstreamException e =
        StateFileErrors.cannotOpen(
            "customers",
            dir.resolve("customers.duckdb"),
            new SQLException(
                "IO Error: Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 4096"));

    assertThat(e.code()).isEqualTo(ErrorCode.STATE_CORRUPT);
  }
}
