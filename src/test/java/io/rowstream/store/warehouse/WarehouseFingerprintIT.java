package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SourcePlanning;
import io.rowstream.core.EventType;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.PlanningStore.WarehouseModel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-warehouse fingerprint sees exactly the changes that change a row's text: one column of one
 * row changed per case, over every kind of column {@link PlanSql} hashes its own way (typed hash
 * functions, numeric by value and scale, one-column records, text), and updates that keep the text
 * are not changes.
 */
class WarehouseFingerprintIT {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static final String COLUMNS =
      "id int, i2 int2, i8 int8, t text, v varchar(20), b bool, d date, ts timestamp,"
          + " tz timestamptz, u uuid, by bytea, n numeric, f float8, j jsonb, a text[],"
          + " iv interval, tm time, c char(3), t2 text";

  private static final String VALUES =
      "i, i::int2, i::int8 * 1000000000, 't' || i, 'v' || i, i % 2 = 0, date '2026-01-01' + i,"
          + " timestamp '2026-01-01' + i * interval '1 minute',"
          + " timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second',"
          + " md5(i::text)::uuid, ('\\x' || lpad(to_hex(i), 4, '0'))::bytea, i * 1.5, i * 0.25,"
          + " jsonb_build_object('i', i), array['x' || i], i * interval '1 hour',"
          + " time '00:00' + i * interval '1 minute', 'c' || (i % 10), 'u' || i";

  /** One change per row: the row's id, the update, and whether its text changes. */
  private record Case(int id, String set, boolean changes) {}

  private static final List<Case> CASES =
      List.of(
          new Case(1, "i2 = i2 + 1", true),
          new Case(2, "i8 = i8 + 1", true),
          new Case(3, "t = t || 'x'", true),
          new Case(4, "v = v || 'x'", true),
          new Case(5, "b = not b", true),
          new Case(6, "d = d + 1", true),
          new Case(7, "ts = ts + interval '1 microsecond'", true),
          new Case(8, "tz = tz + interval '1 microsecond'", true),
          new Case(9, "u = md5('other')::uuid", true),
          new Case(10, "by = by || '\\x00'::bytea", true),
          new Case(11, "n = n + 0.01", true),
          new Case(12, "n = round(n, 4)", true), // same value, more digits: 18.0000 prints apart
          new Case(13, "f = f + 1", true),
          new Case(14, "j = j || '{\"k\": 1}'", true),
          new Case(15, "a = a || 'y'::text", true),
          new Case(16, "iv = iv + interval '1 second'", true),
          new Case(17, "tm = tm + interval '1 second'", true),
          new Case(18, "c = 'zz'", true),
          new Case(19, "t = null", true),
          new Case(20, "i2 = null", true),
          new Case(21, "n = null", true),
          new Case(22, "d = null", true),
          new Case(23, "t = t2, t2 = t", true), // two text columns swap their values
          new Case(24, "n = 'NaN'", true),
          new Case(25, "n = n, t = t, tz = tz, d = d, by = by", false),
          new Case(26, "n = n + 0.0", false), // same value and the same scale
          new Case(27, "tz = tz at time zone 'UTC' at time zone 'UTC'", false),
          new Case(28, "f = f * 1.0", false),
          new Case(29, "id = id", false));

  private static SourceConfig source(String database) {
    return new SourceConfig(
            "pg",
            SourceConfig.Type.POSTGRES,
            Optional.empty(),
            Optional.of(postgres.getJdbcUrl("postgres", database)),
            Optional.of("postgres"),
            Optional.empty(),
            Optional.empty())
        .withPlanning(new SourcePlanning(SourcePlanning.Mode.WAREHOUSE, "planner"));
  }

  private static void sql(String database, String... statements) throws SQLException {
    try (Connection c = postgres.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  @Test
  void aChangeOfAnyColumnIsSeenAndAnUpdateThatKeepsTheTextIsNot() throws Exception {
    sql("postgres", "create database fingerprints");
    int rows = 40;
    sql(
        "fingerprints",
        "create table model (" + COLUMNS + ")",
        "insert into model select " + VALUES + " from generate_series(1, " + rows + ") i",
        // a NULL in every column but the key: NULLs hash to constants, and stay unchanged
        "insert into model (id) values (1000)");
    SourceConfig source = source("fingerprints");
    WarehouseModel model = new WarehouseModel("pg", "select * from model", "id");
    try (WarehouseState state = WarehouseState.open(source, "s")) {
      state.stageInWarehouse(model, n -> {});
      assertThat(state.plan(rows + 1, 0).added()).isEqualTo(rows + 1);
      state.adoptFingerprints();
      state.recordBaseline();
      assertThat(state.deliveredCount()).isEqualTo(rows + 1);
    }
    try (Connection c = postgres.getDatabase("postgres", "fingerprints").getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select reltuples from pg_class where relname = 's_delivered'"
                    + " and relnamespace = 'planner'::regnamespace")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1))
          .as("the bulk-loaded delivered table was analyzed: the next diff knows its size")
          .isEqualTo(rows + 1);
    }
    try (WarehouseState state = WarehouseState.open(source, "s")) {
      state.stageInWarehouse(model, n -> {});
      PlanCounts counts = state.plan(rows + 1, 0);
      assertThat(counts.added() + counts.changed() + counts.removed())
          .as("nothing changed yet: the fingerprints are stable across sessions")
          .isZero();
    }

    List<String> updates = new ArrayList<>();
    for (Case c : CASES) {
      updates.add("update model set " + c.set() + " where id = " + c.id());
    }
    sql("fingerprints", updates.toArray(String[]::new));

    TreeSet<String> expected = new TreeSet<>();
    CASES.stream().filter(Case::changes).forEach(c -> expected.add(Integer.toString(c.id())));
    TreeMap<String, EventType> seen = new TreeMap<>();
    try (WarehouseState state = WarehouseState.open(source, "s")) {
      state.stageInWarehouse(model, n -> {});
      PlanCounts counts = state.plan(rows + 1, 0);
      try (EventStream events = state.events()) {
        while (events.hasNext()) {
          PlannedEvent event = events.next();
          seen.put(event.key(), event.type());
        }
      }
      assertThat(counts.changed()).isEqualTo(expected.size());
    }
    assertThat(seen.keySet()).as("the rows whose text changed, and only those").isEqualTo(expected);
    assertThat(seen.values()).containsOnly(EventType.CHANGED);
  }

  @Test
  void javaAndSqlAgreeOnWhichKeysAreIntegers() throws Exception {
    List<String> keys =
        List.of(
            "0",
            "-0",
            "7",
            "-7",
            "007",
            "+7",
            "1.0",
            "1e3",
            " 7",
            "7 ",
            "",
            "-",
            "abc",
            "12a",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "123456789012345678",
            "1234567890123456789",
            "k\t1");
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      for (String key : keys) {
        try (var s =
            c.prepareStatement(
                "select (" + Schema.INTEGER_KEY_OF_K + ")::text from (select ?::text as k) x")) {
          s.setString(1, key);
          try (var rs = s.executeQuery()) {
            rs.next();
            assertThat(AckCopy.integerKey(key)).as("key '%s'", key).isEqualTo(rs.getString(1));
          }
        }
      }
    }
    assertThat(AckCopy.integerKey("42")).isEqualTo("42");
    assertThat(AckCopy.integerKey("042")).isNull();
  }
}
