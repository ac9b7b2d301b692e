package io.rowstream.alerts;

import java.util.function.Supplier;

/**
 * Where alert state lives between runs, so that neither a restart nor the next one-shot run alerts
 * again. One implementation keeps them as documents of the state ({@link DocumentAlertStore}): a
 * JSON file per sync in the embedded state, a row in a shared PostgreSQL state.
 *
 * <p>Contract: {@link #load} of a sync never saved returns {@link AlertState#EMPTY}; {@link #save}
 * replaces the whole state atomically (a reader sees the old state or the new one, never a part);
 * {@link #locked} runs one load-evaluate-deliver-save under a lock that other processes working on
 * the same store respect, so two one-shot runs finishing at once do not lose each other's update.
 */
public interface AlertStore {
  AlertState load(String sync);

  void save(String sync, AlertState state);

  /**
   * Runs {@code work} holding the sync's lock in this store; the default holds none (one process).
   */
  default <T> T locked(String sync, Supplier<T> work) {
    return work.get();
  }
}
