package io.rowstream.store.synclog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** DuckDB: the events go in through the appender, one spool record at a time. */
final class DuckDbLogWriter implements LogWriter {
  @Override
  public void ensureTables(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create schema if not exists " + LogTables.identifier(schema));
      s.execute(LogTables.runsDdl(schema));
      s.execute(LogTables.eventsDdl(schema));
    }
  }

  @Override
  public long appendEvents(Connection c, String schema, Path events)
      throws SQLException, IOException {
    long n = 0;
    int at = LogTables.EVENT_COLUMNS.indexOf("event_at");
    try (Reader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
        DuckDBAppender appender =
            c.unwrap(DuckDBConnection.class).createAppender(schema, LogTables.EVENTS)) {
      Csv.RecordReader records = new Csv.RecordReader(in);
      for (List<String> record = records.next(); record != null; record = records.next()) {
        if (record.size() != LogTables.EVENT_COLUMNS.size()) {
          throw new IOException(
              "spool " + events.getFileName() + ": record " + (n + 1) + " is malformed");
        }
        appender.beginRow();
        for (int i = 0; i < record.size(); i++) {
          if (i == at) {
            // micros since the epoch: the appender's cheapest way to a timestamptz
            Instant t = Instant.parse(record.get(i));
            appender.appendEpochMicros(
                Math.addExact(
                    Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000));
          } else {
            appender.append(record.get(i));
          }
        }
        appender.endRow();
        n++;
      }
    }
    return n;
  }
}
