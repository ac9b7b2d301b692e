package io.rowstream.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * A measurement, not a test: rows per second of {@link RowEncoder#encodeRow} over a 5-column DuckDB
 * row, against only reading the result set. Run after {@code mvn test-compile} with {@code java -cp
 * target/classes:target/test-classes:<test class path> io.rowstream.source.RowEncoderThroughput
 * [rows] [rounds]}.
 */
final class RowEncoderThroughput {

  private static final String QUERY =
      """
      select i::bigint id, 'customer-' || i as name, (i %% 100000) / 100::decimal(12,2) amount,
        timestamp '2026-01-01 00:00:00' + to_microseconds(i * 1234567) updated_at,
        i %% 3 = 0 active
      from range(%d) t(i)""";

  private enum Mode {
    NEXT_ONLY,
    GET_OBJECT,
    ENCODE_ROW,
    ENCODE_ROW_AND_KEY
  }

  private RowEncoderThroughput() {}

  public static void main(String[] args) throws SQLException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = duck.createStatement()) {
        s.execute("create table model as " + QUERY.formatted(rows));
      }
      printSample(duck);
      for (Mode mode : Mode.values()) {
        run(duck, mode, rows); // warm-up
      }
      // rounds interleave the modes, so drift in the machine's load touches all of them alike
      Mode[] modes = Mode.values();
      double[][] rates = new double[modes.length][rounds];
      for (int r = 0; r < rounds; r++) {
        for (Mode mode : modes) {
          rates[mode.ordinal()][r] = run(duck, mode, rows);
        }
      }
      for (Mode mode : modes) {
        double[] sorted = rates[mode.ordinal()];
        Arrays.sort(sorted);
        System.out.printf(
            "%-19s median %,10.0f rows/s  best %,10.0f rows/s  (%d rounds of %,d)%n",
            mode, sorted[rounds / 2], sorted[rounds - 1], rounds, rows);
      }
    }
  }

  private static void printSample(Connection duck) throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select * from model where id = 12345")) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
      rs.next();
      System.out.println("sample row: " + encoder.encodeRow(rs));
    }
  }

  private static double run(Connection duck, Mode mode, int rows) throws SQLException {
    long sink = 0;
    long start = System.nanoTime();
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select * from model")) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        switch (mode) {
          case NEXT_ONLY -> sink++;
          case GET_OBJECT -> {
            for (int i = 1; i <= columns; i++) {
              sink += System.identityHashCode(rs.getObject(i)) & 1;
            }
          }
          case ENCODE_ROW -> sink += encoder.encodeRow(rs).length();
          case ENCODE_ROW_AND_KEY ->
              sink += encoder.encodeRow(rs).length() + encoder.key(rs).length();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (sink == 42) {
      System.out.println(); // keeps the JIT from dropping the work
    }
    return rows / seconds;
  }
}
