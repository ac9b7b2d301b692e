package io.rowstream.delivery;

/**
 * Receives every API call a run makes, from any thread, as soon as it has completed. The run stores
 * them with the run so {@code rowstream debug} can show them.
 */
public interface CallLog {
  /** Records nothing. */
  CallLog NONE = call -> {};

  void record(ApiCall call);
}
