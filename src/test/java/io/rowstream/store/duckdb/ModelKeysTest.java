package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/** The first key pass: the same NULL and duplicated keys and totals, read once or twice. */
class ModelKeysTest {
  @Test
  void readingTheKeysOnceOrTwiceFindsTheSameKeysAndTotals() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "create table t as select * from (values (1), (2), (2), (null), (3), (3), (3), (null), (4)) v(id)");
      String keys = "select id as k from t";
      for (String sql : ModelKeys.keyPass(keys, "once", false)) {
        s.execute(sql);
      }
      for (String sql : ModelKeys.keyPass(keys, "twice", true)) {
        s.execute(sql);
      }
      assertThat(rows(s, "once")).isEqualTo(rows(s, "twice"));
      String keySum;
      try (ResultSet rs =
          s.executeQuery("select sum(cast(hash(id) as hugeint)) from t where id is not null")) {
        rs.next();
        keySum = rs.getString(1);
      }
      assertThat(rows(s, "once"))
          .as("the NULL and duplicated keys, then every row counted with the sum of its key's hash")
          .containsExactly(
              "null|2|false|null|null",
              "2|2|false|null|2",
              "3|3|false|null|3",
              "null|9|true|" + keySum + "|null");
    }
  }

  @Test
  void theFirstPassBesideSendingFindsTheSameAndPutsDuckDbsThreadsBack() throws SQLException {
    try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("set threads = 3");
      s.execute("create table t as select range % 5000 as id from range(10000)");
      ModelKeys.firstPass(c, "select id as k from t", "beside", true);
      ModelKeys.firstPass(c, "select id as k from t", "alone", false);
      assertThat(rows(s, "beside")).isEqualTo(rows(s, "alone")).hasSize(5001);
      try (ResultSet rs = s.executeQuery("select current_setting('threads')")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void onlyScansFiltersAndProjectionsAreReadTwice() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("create table t as select range as id, range % 10 as g from range(1000)");
      s.execute("create view v as select * from t where g > 2");
      assertThat(ModelKeys.scanOnly(c, "select id as k from (select * from t) q")).isTrue();
      assertThat(ModelKeys.scanOnly(c, "select id as k from (select * from v where id < 5) q"))
          .isTrue();
      assertThat(
              ModelKeys.scanOnly(
                  c, "select id as k from (select t.id from t join t u using (id)) q"))
          .isFalse();
      assertThat(
              ModelKeys.scanOnly(
                  c, "select id as k from (select g as id, count(*) from t group by g) q"))
          .isFalse();
    }
  }

  private static List<String> rows(Statement s, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "select pk, n, total, keysum, k from " + table + " order by total, pk nulls first")) {
      while (rs.next()) {
        rows.add(
            rs.getString(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getString(4)
                + "|"
                + rs.getString(5));
      }
    }
    return rows;
  }
}
