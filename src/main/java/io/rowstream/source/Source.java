package io.rowstream.source;

import io.rowstream.config.SourceConfig;

/** A database that models are read from. One per run; {@link #close()} releases it. */
public interface Source extends AutoCloseable {
  /**
   * Runs {@code query} and returns a cursor over its rows.
   *
   * @throws io.rowstream.core.RowstreamException FATAL when the query fails or the primary key
   *     column is not among its columns
   */
  ModelCursor open(String query, String primaryKey);

  @Override
  void close();

  /** Connects to the database a source config names. */
  static Source connect(SourceConfig config) {
    return JdbcSource.connect(config);
  }
}
