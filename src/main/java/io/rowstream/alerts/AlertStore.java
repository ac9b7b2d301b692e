package io.rowstream.alerts;

/**
 * Where alert state lives between runs, so that neither a restart nor the next one-shot run
 * alerts again. The embedded one is a JSON file per sync in the state folder
 * ({@link JsonFileAlertStore}); a shared PostgreSQL state can implement the same two calls.
 *
 * <p>Contract: {@link #load} of a sync never saved returns {@link AlertState#EMPTY}; {@link #save}
 * replaces the whole state atomically (a reader sees the old state or the new one, never a part);
 * the caller serializes calls for one sync ({@link Alerting} holds a lock per sync).
 */
public interface AlertStore {
  AlertState load(String sync);

  void save(String sync, AlertState state);
}
