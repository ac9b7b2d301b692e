package io.rowstream.state;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Small JSON documents kept per sync beside its state (alerting keeps its trigger states here), so
 * that neither a restart nor another process on the same state forgets them.
 *
 * <p>Contract: {@link #load} of a document never saved is empty; {@link #save} replaces the whole
 * document atomically (a reader sees the old one or the new one, never a part) and durably; {@link
 * #locked} runs {@code work} under a lock that every process on the same state respects.
 */
public interface SyncDocuments {
  Optional<String> load(String sync, String name);

  void save(String sync, String name, String json);

  <T> T locked(String sync, String name, Supplier<T> work);
}
