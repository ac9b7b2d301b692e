package io.rowstream.store.duckdb;

import io.rowstream.core.RowstreamException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a sync's DuckDB state in a process of its own, as a run does: the DuckDB lease is the
 * file's lock, held per process. Prints {@code opened}, or {@code refused CODE MESSAGE}. With
 * {@code hold} it keeps the state open until its standard input ends, else it closes it at once.
 * Usage: LeaseProbe STATE_DIR SYNC [hold]
 */
final class LeaseProbe {
  private LeaseProbe() {}

  public static void main(String[] args) throws IOException {
    try (DuckDbState state = DuckDbState.open(Path.of(args[0]), args[1])) {
      System.out.println("opened");
      System.out.flush();
      if (args.length > 2 && args[2].equals("hold")) {
        while (System.in.read() >= 0) {
          // held until the test closes our input
        }
      }
    } catch (RowstreamException e) {
      System.out.println("refused " + e.code().name() + " " + e.getMessage().replace('\n', ' '));
    }
  }
}
