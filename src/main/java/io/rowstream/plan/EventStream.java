package io.rowstream.plan;

import java.util.Iterator;

/** Planned events in no particular order, streamed from the store; must be closed. */
public interface EventStream extends Iterator<PlannedEvent>, AutoCloseable {
  @Override
  void close();
}
