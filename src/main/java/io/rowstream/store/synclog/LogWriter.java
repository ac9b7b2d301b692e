package io.rowstream.store.synclog;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** How one kind of database takes a spooled run: its tables, and the events in bulk. */
interface LogWriter {
  /** Creates the log's schema and tables where they are missing. */
  void ensureTables(Connection c, String schema) throws SQLException;

  /**
   * Appends the spool's events ({@code events}, CSV in {@link LogTables#EVENT_COLUMNS} order) to
   * the events table inside the connection's open transaction; returns how many.
   */
  long appendEvents(Connection c, String schema, Path events) throws SQLException, IOException;
}
