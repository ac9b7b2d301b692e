package io.rowstream.source;

import java.util.List;

/**
 * The rows of a model, read once, front to back, without holding them in memory.
 *
 * <p>Lifecycle: {@link #next()} until it returns false, reading {@link #key()} and {@link
 * #rowJson()} of the current row in between; then {@link #close()}.
 */
public interface ModelCursor extends AutoCloseable {
  List<String> columns();

  boolean next();

  /** The primary key of the current row as text, or null when the database holds NULL. */
  String key();

  /** The current row as a JSON object with the types of SPEC §4.7, columns in query order. */
  String rowJson();

  @Override
  void close();
}
