package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins how every DuckDB type reaches JSON, through the real DuckDB JDBC driver. */
class RowEncoderTest {

  private static Connection duck;

  @BeforeAll
  static void openDuckDb() throws SQLException {
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("create type mood as enum ('happy', 'sad')");
    }
  }

  @AfterAll
  static void closeDuckDb() throws SQLException {
    duck.close();
  }

  @Test
  void integersOfEveryWidthAreExactJsonNumbers() throws SQLException {
    assertThat(
            firstRow(
                """
        select (-128)::tinyint ti, 32767::smallint si, (-2147483648)::int i,
          (-9223372036854775808)::bigint bi,
          170141183460469231731687303715884105727::hugeint hi,
          18446744073709551615::ubigint ub, 255::utinyint ut, 65535::usmallint us,
          4294967295::uinteger ui, 340282366920938463463374607431768211455::uhugeint uh"""))
        .isEqualTo(
            """
            {"ti":-128,"si":32767,"i":-2147483648,"bi":-9223372036854775808,\
            "hi":170141183460469231731687303715884105727,"ub":18446744073709551615,\
            "ut":255,"us":65535,"ui":4294967295,\
            "uh":340282366920938463463374607431768211455}""");
  }

  @Test
  void decimalsKeepTheScaleTheDatabaseGivesAndAreNeverScientific() throws SQLException {
    assertThat(
            firstRow(
                """
        select 12.50::decimal(10,2) price, 0.00000001::decimal(18,8) tiny, -0.10::decimal(4,2) neg,
          1000::decimal(10,0) whole, 123456789012345678901234567.8901::decimal(38,4) wide"""))
        .isEqualTo(
            """
            {"price":12.50,"tiny":0.00000001,"neg":-0.10,"whole":1000,\
            "wide":123456789012345678901234567.8901}""");
  }

  @Test
  void floatsAreNumbersAndNonFiniteValuesAreStrings() throws SQLException {
    assertThat(
            firstRow(
                """
        select 0.1::real r, 2.25::double d, 1e300::double big, 1e-7::double small,
          'nan'::double nan, 'inf'::real inf, '-inf'::double ninf"""))
        .isEqualTo(
            """
            {"r":0.1,"d":2.25,"big":1.0E300,"small":1.0E-7,\
            "nan":"NaN","inf":"Infinity","ninf":"-Infinity"}""");
  }

  @Test
  void booleansAreJsonBooleans() throws SQLException {
    assertThat(firstRow("select true t, false f"))
        .isEqualTo(
            """
        {"t":true,"f":false}""");
  }

  @Test
  void datesTimesAndTimestampsWithoutZoneAreIsoTextWithoutZone() throws SQLException {
    assertThat(
            firstRow(
                """
        select date '2026-01-02' d, date '0044-03-15' as old, time '03:04:05' t,
          time '03:04:05.123456' tf, timestamp '2026-01-02 03:04:00' ts,
          timestamp '2026-01-02 03:04:05.120' tsms,
          '2026-01-02 03:04:05.123456789'::timestamp_ns ns,
          '2026-01-02 03:04:05.5'::timestamp_ms ms, '2026-01-02 03:04:05'::timestamp_s s"""))
        .isEqualTo(
            """
            {"d":"2026-01-02","old":"0044-03-15","t":"03:04:05","tf":"03:04:05.123456",\
            "ts":"2026-01-02T03:04:00","tsms":"2026-01-02T03:04:05.12",\
            "ns":"2026-01-02T03:04:05.123456789","ms":"2026-01-02T03:04:05.5",\
            "s":"2026-01-02T03:04:05"}""");
  }

  @Test
  void timestampsWithZoneAreWrittenInUtcWithZ() throws SQLException {
    assertThat(
            firstRow(
                """
        select timestamptz '2026-01-02 03:04:05.123+02' a,
          timestamptz '2026-01-01 23:30:00-05' b"""))
        .isEqualTo(
            """
            {"a":"2026-01-02T01:04:05.123Z","b":"2026-01-02T04:30:00Z"}""");
  }

  @Test
  void timestampsAreRightAroundDaylightSavingChangesOfTheJvmZone() throws SQLException {
    // In this zone DuckDB's Timestamp turns 02:30 into 03:30, and its OffsetDateTime moves
    // 07:30Z to 08:30Z and 06:30Z to 05:30Z: the encoder reads LocalDateTime and raw microseconds
    TimeZone saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try {
      assertThat(
              firstRow(
                  """
          select timestamp '2026-03-08 02:30:00' gap, timestamptz '2026-03-08 07:30:00+00' spring,
            timestamptz '2026-11-01 05:30:00+00' fall1,
            timestamptz '2026-11-01 06:30:00.25+00' fall2"""))
          .isEqualTo(
              """
              {"gap":"2026-03-08T02:30:00","spring":"2026-03-08T07:30:00Z",\
              "fall1":"2026-11-01T05:30:00Z","fall2":"2026-11-01T06:30:00.25Z"}""");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void infiniteAndAncientTimestampsWithZoneAreText() throws SQLException {
    assertThat(
            firstRow(
                """
        select 'infinity'::timestamptz inf, '-infinity'::timestamptz ninf,
          timestamptz '1960-01-01 00:00:00.5+00' as old"""))
        .isEqualTo(
            """
            {"inf":"infinity","ninf":"-infinity","old":"1960-01-01T00:00:00.5Z"}""");
  }

  @Test
  void datesAndTimestampsAreProlepticGregorianWithAstronomicalYears() throws SQLException {
    assertThat(
            firstRow(
                """
        select date '0044-03-15 (BC)' bc, date '1582-10-10' gap, date '1582-10-04' julian,
          date '0001-01-01' one, date '0001-12-31 (BC)' yearzero,
          date '0044-03-15 (BC)' + interval 10 hour tsbc, timestamp '1582-10-10 01:02:03' tsgap,
          '1700-10-10 01:02:03.123456789'::timestamp_ns ns, '1582-10-10 01:02:03.5'::timestamp_ms ms,
          '1582-10-10 01:02:03'::timestamp_s s"""))
        .isEqualTo(
            """
            {"bc":"-0043-03-15","gap":"1582-10-10","julian":"1582-10-04","one":"0001-01-01",\
            "yearzero":"0000-12-31","tsbc":"-0043-03-15T10:00:00","tsgap":"1582-10-10T01:02:03",\
            "ns":"1700-10-10T01:02:03.123456789","ms":"1582-10-10T01:02:03.5",\
            "s":"1582-10-10T01:02:03"}""");
  }

  @Test
  void infiniteDatesAndTimestampsAreTheWordsPostgresUses() throws SQLException {
    assertThat(
            firstRow(
                """
        select 'infinity'::date d, '-infinity'::date nd, 'infinity'::timestamp ts,
          '-infinity'::timestamp nts, 'infinity'::timestamp_ms ms, '-infinity'::timestamp_ms nms,
          'infinity'::timestamp_ns ns, '-infinity'::timestamp_ns nns,
          'infinity'::timestamptz tz, '-infinity'::timestamptz ntz"""))
        .isEqualTo(
            """
            {"d":"infinity","nd":"-infinity","ts":"infinity","nts":"-infinity",\
            "ms":"infinity","nms":"-infinity","ns":"infinity","nns":"-infinity",\
            "tz":"infinity","ntz":"-infinity"}""");
  }

  @Test
  void datesAndTimestampsInsideListsAndStructsFollowTheSameRule() throws SQLException {
    TimeZone saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try {
      assertThat(
              firstRow(
                  """
          select [date '0044-03-15 (BC)', date '1582-10-10', 'infinity'::date, '-infinity'::date] ds,
            [timestamp '1582-10-10 01:02:03', 'infinity'::timestamp, '-infinity'::timestamp,
              timestamp '2026-03-08 02:30:00', date '0044-03-15 (BC)' + interval 1 hour] ts,
            [[timestamp '1582-10-10 01:02:03']] nested,
            ['infinity'::timestamptz, '-infinity'::timestamptz,
              timestamptz '2026-03-08 07:30:00+00'] tz,
            {'d': date '0044-03-15 (BC)', 'i': 'infinity'::date, 't': 'infinity'::timestamp,
              'n': '-infinity'::timestamp, 'b': date '0044-03-15 (BC)' + interval 1 hour,
              'z': 'infinity'::timestamptz} st,
            map {date '1582-10-10': 1, 'infinity'::date: 2} dm,
            ['infinity'::timestamp, timestamp '1582-10-10 01:02:03']::timestamp[2] fixed"""))
          .isEqualTo(
              """
              {"ds":["-0043-03-15","1582-10-10","infinity","-infinity"],\
              "ts":["1582-10-10T01:02:03","infinity","-infinity","2026-03-08T02:30:00",\
              "-0043-03-15T01:00:00"],"nested":[["1582-10-10T01:02:03"]],\
              "tz":["infinity","-infinity","2026-03-08T07:30:00Z"],\
              "st":{"d":"-0043-03-15","i":"infinity","t":"infinity","n":"-infinity",\
              "b":"-0043-03-15T01:00:00","z":"infinity"},\
              "dm":{"1582-10-10":1,"infinity":2},"fixed":["infinity","1582-10-10T01:02:03"]}""");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void aTimestampTheDriverCannotReadIsAnErrorNamingTheColumnAndTheWayOut() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select 1 id, 'infinity'::timestamp_s ts")) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
      rs.next();
      assertThatThrownBy(() -> encoder.encodeRow(rs))
          .isInstanceOf(SQLException.class)
          .hasMessageStartingWith("the driver cannot read the date/time value of column 'ts'")
          .hasMessageContaining("cast the column to TIMESTAMP");
    }
  }

  @Test
  void infiniteDatesAndTimestampsAsPrimaryKeysAreTheWords() throws SQLException {
    assertThat(key("select 'infinity'::date id", "id")).isEqualTo("infinity");
    assertThat(key("select date '0044-03-15 (BC)' id", "id")).isEqualTo("-0043-03-15");
    assertThat(key("select '-infinity'::timestamp id", "id")).isEqualTo("-infinity");
    assertThat(key("select timestamp '1582-10-10 01:02:03' id", "id"))
        .isEqualTo("1582-10-10T01:02:03");
  }

  @Test
  void negativeZeroStaysAndNonFiniteFloatsAreStringsInsideListsAndStructsToo() throws SQLException {
    assertThat(
            firstRow(
                """
        select -0.0::double d, -0.0::real r, [-0.0::double, 'nan'::double, 'inf'::double,
          '-inf'::double] l, ['-inf'::real, -0.0::real] rl,
          {'z': -0.0::double, 'n': 'nan'::real, 'i': '-inf'::double} st"""))
        .isEqualTo(
            """
            {"d":-0.0,"r":-0.0,"l":[-0.0,"NaN","Infinity","-Infinity"],"rl":["-Infinity",-0.0],\
            "st":{"z":-0.0,"n":"NaN","i":"-Infinity"}}""");
  }

  @Test
  void jsonWithRepeatedKeysKeepsThemForTheRendererToReject() throws SQLException {
    assertThat(firstRow("select '{\"a\": 1, \"a\": 2}'::json j"))
        .isEqualTo(
            """
        {"j":{"a":1,"a":2}}""");
  }

  @Test
  void jsonColumnsAreNestedJsonWithNumbersAsWritten() throws SQLException {
    assertThat(
            firstRow(
                """
        select
          '{"x": [1, 2.50, {"y": null}], "s": "a\\"b", "big": 12345678901234567890.123456789}'::json
            doc,
          '"text"'::json str, '[true, 1e5]'::json arr, 'null'::json nul"""))
        .isEqualTo(
            """
            {"doc":{"x":[1,2.50,{"y":null}],"s":"a\\"b","big":12345678901234567890.123456789},\
            "str":"text","arr":[true,1e5],"nul":null}""");
  }

  @Test
  void listsAreArraysWithTypedElements() throws SQLException {
    assertThat(
            firstRow(
                """
        select [1, 2, null] ints, ['a', 'b"c'] strs, [1.50, 2.25]::decimal(5,2)[] decs,
          [[1, 2], [3]] nested, []::int[] empty, [1, 2, 3]::int[3] fixed,
          [date '2026-01-02'] dates, [timestamp '2026-01-02 03:04:05.5'] stamps,
          [timestamptz '2026-01-02 03:04:05+02'] zoned,
          ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid] uuids, ['{"a": 1.0}'::json] docs,
          ['\\xAA'::blob] blobs, [12::hugeint] huge, ['inf'::double] inf, ['happy'::mood] moods"""))
        .isEqualTo(
            """
            {"ints":[1,2,null],"strs":["a","b\\"c"],"decs":[1.50,2.25],"nested":[[1,2],[3]],\
            "empty":[],"fixed":[1,2,3],"dates":["2026-01-02"],"stamps":["2026-01-02T03:04:05.5"],\
            "zoned":["2026-01-02T01:04:05Z"],"uuids":["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],\
            "docs":[{"a":1.0}],"blobs":["qg=="],"huge":[12],"inf":["Infinity"],\
            "moods":["happy"]}""");
  }

  @Test
  void structsAreObjectsAndMapsAreObjectsWithTextKeys() throws SQLException {
    assertThat(
            firstRow(
                """
        select {'a': 1, 'b c': 'x', 'l': [1, 2], 'inner': {'d': 1.50::decimal(3,2)}} st,
          [{'a': 1}, {'a': 2}] structs, map {'k1': 1, 'k2': 2} m,
          map {1: 'one', 2: 'two'} intkeys, map {date '2026-01-02': true} datekeys,
          {'m': map {'a': [1]}} nested"""))
        .isEqualTo(
            """
            {"st":{"a":1,"b c":"x","l":[1,2],"inner":{"d":1.50}},"structs":[{"a":1},{"a":2}],\
            "m":{"k1":1,"k2":2},"intkeys":{"1":"one","2":"two"},\
            "datekeys":{"2026-01-02":true},"nested":{"m":{"a":[1]}}}""");
  }

  @Test
  void binaryIsBase64() throws SQLException {
    assertThat(firstRow("select '\\xAA\\xBB\\x00'::blob b, ''::blob e"))
        .isEqualTo(
            """
        {"b":"qrsA","e":""}""");
  }

  @Test
  void uuidEnumIntervalAndOtherTypesAreTheirText() throws SQLException {
    assertThat(
            firstRow(
                """
        select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u, 'sad'::mood e,
          interval '1 day 2 hours 3 minutes' iv, interval '14 months' as months, '101'::bit bits,
          timetz '03:04:05+02' ttz, union_value(num := 2)::union(num int, s varchar) un,
          12345678901234567890123::bignum bn"""))
        .isEqualTo(
            """
            {"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","e":"sad","iv":"1 day 02:03:00",\
            "months":"1 year 2 months","bits":"101","ttz":"03:04:05+02:00","un":2,\
            "bn":12345678901234567890123}""");
  }

  @Test
  void textIsEscapedAsJson() throws Exception {
    String text = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 emoji\uD83D\uDE00 é ✓";
    try (var ps = duck.prepareStatement("select ?::varchar s")) {
      ps.setString(1, text);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String json = RowEncoder.of(rs.getMetaData(), "s").encodeRow(rs);
        assertThat(json)
            .isEqualTo(
                "{\"s\":\"quote\\\" backslash\\\\ newline\\n tab\\t"
                    + " nul\\u0000 bell\\u0007 emoji\uD83D\uDE00 é ✓\"}");
        assertThat(new ObjectMapper().readTree(json).get("s").asText()).isEqualTo(text);
      }
    }
  }

  @Test
  void nullsOfEveryTypeAreJsonNull() throws SQLException {
    String[] types = {
      "tinyint",
      "smallint",
      "int",
      "bigint",
      "hugeint",
      "ubigint",
      "uhugeint",
      "decimal(10,2)",
      "decimal(38,4)",
      "real",
      "double",
      "boolean",
      "varchar",
      "date",
      "time",
      "timetz",
      "timestamp",
      "timestamp_ns",
      "timestamptz",
      "interval",
      "json",
      "blob",
      "uuid",
      "mood",
      "bit",
      "int[]",
      "int[2]",
      "struct(a int)",
      "map(varchar, int)",
      "bignum"
    };
    StringBuilder sql = new StringBuilder("select 1 id");
    StringBuilder expected = new StringBuilder("{\"id\":1");
    for (int k = 0; k < types.length; k++) {
      sql.append(", null::").append(types[k]).append(" c").append(k);
      expected.append(",\"c").append(k).append("\":null");
    }
    assertThat(firstRow(sql.toString())).isEqualTo(expected.append('}').toString());
  }

  @Test
  void keyIsThePrimaryKeyValueAsText() throws SQLException {
    assertThat(key("select 42 id", "id")).isEqualTo("42");
    assertThat(key("select 'abc' id", "id")).isEqualTo("abc");
    assertThat(key("select 12.50::decimal(10,2) id", "id")).isEqualTo("12.50");
    assertThat(key("select 0.00000001::decimal(18,8) id", "id")).isEqualTo("0.00000001");
    assertThat(key("select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid id", "id"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(key("select 170141183460469231731687303715884105727::hugeint id", "id"))
        .isEqualTo("170141183460469231731687303715884105727");
    assertThat(key("select date '2026-01-02' id", "id")).isEqualTo("2026-01-02");
    assertThat(key("select timestamp '2026-01-02 03:04:05' id", "id"))
        .isEqualTo("2026-01-02T03:04:05");
    assertThat(key("select timestamptz '2026-01-02 03:04:05+02' id", "id"))
        .isEqualTo("2026-01-02T01:04:05Z");
    assertThat(key("select 'infinity'::timestamptz id", "id")).isEqualTo("infinity");
    assertThat(key("select 'happy'::mood id", "id")).isEqualTo("happy");
    assertThat(key("select null::int id", "id")).isNull();
    assertThat(key("select null::varchar id", "id")).isNull();
  }

  @Test
  void primaryKeyColumnIsFoundCaseInsensitively() throws SQLException {
    assertThat(key("select 'x' as name, 7 as \"ID\"", "id")).isEqualTo("7");
  }

  @Test
  void unknownPrimaryKeyColumnIsAnErrorNamingItAndTheAvailableColumns() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select 1 as id, 'x' as name, 2 as amount")) {
      assertThatThrownBy(() -> RowEncoder.of(rs.getMetaData(), "customer_id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "primary key column 'customer_id' is not among the query's columns:"
                  + " id, name, amount");
    }
  }

  @Test
  void columnNamesThatDifferOnlyInCaseMakeACaseInsensitiveKeyAmbiguous() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select 1 \"Id\", 2 \"ID\"")) {
      assertThatThrownBy(() -> RowEncoder.of(rs.getMetaData(), "id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("matches both 'Id' and 'ID'");
      assertThat(RowEncoder.of(rs.getMetaData(), "ID").columnNames()).containsExactly("Id", "ID");
    }
  }

  @Test
  void aColumnNameUsedTwiceIsAnError() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select 1 id, 2 id")) {
      assertThatThrownBy(() -> RowEncoder.of(rs.getMetaData(), "id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column 'id' appears more than once");
    }
  }

  @Test
  void columnNamesAreTheQueryLabelsInQueryOrder() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("select 1 zeta, 2 alpha, 3 \"with space\"")) {
      assertThat(RowEncoder.of(rs.getMetaData(), "zeta").columnNames())
          .containsExactly("zeta", "alpha", "with space");
    }
  }

  @Test
  void everyRowIsAStandaloneObjectFromTheReusedBuffer() throws SQLException {
    List<String> rows = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (Statement s = duck.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select range id, repeat('x', range::int * 300) pad from range(3) order by id")) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
      while (rs.next()) {
        rows.add(encoder.encodeRow(rs));
        keys.add(encoder.key(rs));
      }
    }
    assertThat(rows)
        .containsExactly(
            "{\"id\":0,\"pad\":\"\"}",
            "{\"id\":1,\"pad\":\"" + "x".repeat(300) + "\"}",
            "{\"id\":2,\"pad\":\"" + "x".repeat(600) + "\"}");
    assertThat(keys).containsExactly("0", "1", "2");
  }

  private static String firstRow(String sql) throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), rs.getMetaData().getColumnLabel(1));
      assertThat(rs.next()).isTrue();
      return encoder.encodeRow(rs);
    }
  }

  private static String key(String sql, String keyColumn) throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), keyColumn);
      assertThat(rs.next()).isTrue();
      return encoder.key(rs);
    }
  }
}
