package io.rowstream.store.synclog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What became of one spooled run: written (or found written already), or still pending with why.
 *
 * @param events the events written; 0 when the run was found logged already
 * @param error the redacted reason the spool stays pending
 */
public record LoadResult(String runId, String sync, long events, Optional<String> error) {
  public LoadResult {
    requireNonNull(runId, "runId is null");
    requireNonNull(sync, "sync is null");
    requireNonNull(error, "error is null");
  }

  public boolean written() {
    return error.isEmpty();
  }
}
