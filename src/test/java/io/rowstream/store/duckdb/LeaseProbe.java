package io.rowstream.store.duckdb;

import io.rowstream.core.RowstreamException;
import java.nio.file.Path;

/**
 * Opens a sync's DuckDB state in a process of its own and closes it at once: the DuckDB lease is
 * the file's lock, held per process. Prints {@code opened}, or {@code refused CODE MESSAGE}. Usage:
 * LeaseProbe STATE_DIR SYNC
 */
final class LeaseProbe {
  private LeaseProbe() {}

  public static void main(String[] args) {
    try (DuckDbState state = DuckDbState.open(Path.of(args[0]), args[1])) {
      System.out.println("opened");
    } catch (RowstreamException e) {
      System.out.println("refused " + e.code().name() + " " + e.getMessage().replace('\n', ' '));
    }
  }
}
