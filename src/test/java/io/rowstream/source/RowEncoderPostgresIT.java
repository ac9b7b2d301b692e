package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins how pgjdbc hands every PostgreSQL type to the encoder, against a real PostgreSQL. */
class RowEncoderPostgresIT {

  private static EmbeddedPostgres postgres;
  private static Connection pg;

  @BeforeAll
  static void startPostgres() throws IOException, SQLException {
    postgres = EmbeddedPostgres.start();
    pg = postgres.getPostgresDatabase().getConnection();
    try (Statement s = pg.createStatement()) {
      // a session zone far from UTC: timestamptz must still come out in UTC
      s.execute("set timezone = 'Asia/Tokyo'");
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException, SQLException {
    pg.close();
    postgres.close();
  }

  @Test
  void integersAndNumericsAreExactNumbersKeepingTheirScale() throws SQLException {
    assertThat(
            firstRow(
                """
        select 1::int2 i2, (-2147483648)::int4 i4, 9223372036854775807::int8 i8,
          12.50::numeric(10,2) n,
          123456789012345678901234567890.123456789::numeric wide, 1e-20::numeric tiny,
          1e20::numeric whole, 'NaN'::numeric nan, 7::oid o"""))
        .isEqualTo(
            """
            {"i2":1,"i4":-2147483648,"i8":9223372036854775807,"n":12.50,\
            "wide":123456789012345678901234567890.123456789,"tiny":0.00000000000000000001,\
            "whole":100000000000000000000,"nan":"NaN","o":7}""");
  }

  @Test
  void floatsAreNumbersAndNonFiniteValuesAreStrings() throws SQLException {
    assertThat(
            firstRow(
                """
        select 0.1::float4 f4, 2.25::float8 f8, 1e300::float8 big, 'NaN'::float8 nan,
          'Infinity'::float4 inf, '-Infinity'::float8 ninf"""))
        .isEqualTo(
            """
            {"f4":0.1,"f8":2.25,"big":1.0E300,"nan":"NaN","inf":"Infinity","ninf":"-Infinity"}""");
  }

  @Test
  void boolAndBitOneAreBooleansAndOtherBitStringsAreText() throws SQLException {
    assertThat(firstRow("select true t, false f, B'1' one, B'101' three, B'0'::varbit v"))
        .isEqualTo(
            """
            {"t":true,"f":false,"one":true,"three":"101","v":"0"}""");
  }

  @Test
  void datesTimesAndTimestampsAreIsoText() throws SQLException {
    assertThat(
            firstRow(
                """
        select date '2026-01-02' d, time '03:04:05.123456' t, time '24:00:00' midnight,
          '03:04:05+02'::timetz ttz, timestamp '2026-01-02 03:04:00' ts,
          timestamp '2026-01-02 03:04:05.120' ms, timestamp '2026-01-02 03:04:05 BC' bc"""))
        .isEqualTo(
            """
            {"d":"2026-01-02","t":"03:04:05.123456","midnight":"24:00:00","ttz":"03:04:05+02",\
            "ts":"2026-01-02T03:04:00","ms":"2026-01-02T03:04:05.12",\
            "bc":"-2025-01-02T03:04:05"}""");
  }

  @Test
  void timestampsWithZoneAreWrittenInUtcWhateverTheSessionZone() throws SQLException {
    assertThat(
            firstRow(
                """
        select timestamptz '2026-01-02 03:04:05.123+02' a,
          timestamptz '2026-01-02 10:00:00' tokyo"""))
        .isEqualTo(
            """
            {"a":"2026-01-02T01:04:05.123Z","tokyo":"2026-01-02T01:00:00Z"}""");
  }

  @Test
  void infiniteDatesAndTimestampsAreTheWordsPostgresUses() throws SQLException {
    assertThat(
            firstRow(
                """
        select 'infinity'::date d, '-infinity'::date nd, 'infinity'::timestamp ts,
          '-infinity'::timestamp nts, 'infinity'::timestamptz tz, '-infinity'::timestamptz ntz"""))
        .isEqualTo(
            """
            {"d":"infinity","nd":"-infinity","ts":"infinity","nts":"-infinity",\
            "tz":"infinity","ntz":"-infinity"}""");
  }

  @Test
  void datesAndTimestampsAreProlepticGregorianWithAstronomicalYearsAlsoInArrays()
      throws SQLException {
    assertThat(
            firstRow(
                """
        select date '0044-03-15 BC' bc, date '1582-10-10' gap, timestamp '1582-10-10 01:02:03' tsgap,
          timestamptz '0044-03-15 10:00:00+00 BC' tzbc,
          array[date '0044-03-15 BC', date '1582-10-10', 'infinity', '-infinity']::date[] ds,
          array[timestamp '1582-10-10 01:02:03', 'infinity', '-infinity',
            timestamp '0044-03-15 01:00:00 BC']::timestamp[] ts,
          array[timestamptz '1582-10-10 01:02:03+00', 'infinity', '-infinity']::timestamptz[] tz,
          array[[date '1582-10-10'], ['infinity']]::date[] grid, array[null]::date[] nul"""))
        .isEqualTo(
            """
            {"bc":"-0043-03-15","gap":"1582-10-10","tsgap":"1582-10-10T01:02:03",\
            "tzbc":"-0043-03-15T10:00:00Z",\
            "ds":["-0043-03-15","1582-10-10","infinity","-infinity"],\
            "ts":["1582-10-10T01:02:03","infinity","-infinity","-0043-03-15T01:00:00"],\
            "tz":["1582-10-10T01:02:03Z","infinity","-infinity"],\
            "grid":[["1582-10-10"],["infinity"]],"nul":[null]}""");
  }

  @Test
  void nonFiniteNumbersAreStringsAndNegativeZeroStaysAlsoInArrays() throws SQLException {
    assertThat(
            firstRow(
                """
        select 'Infinity'::numeric ni, '-Infinity'::numeric nni, -0.0::float8 nz, -0.0::float4 nz4,
          array[-0.0::float8, 'NaN', 'Infinity', '-Infinity']::float8[] fl,
          array['NaN'::numeric, 'Infinity'::numeric, 2.50] nums, array[[1.5], ['-Infinity']]::numeric[] grid"""))
        .isEqualTo(
            """
            {"ni":"Infinity","nni":"-Infinity","nz":-0.0,"nz4":-0.0,\
            "fl":[-0.0,"NaN","Infinity","-Infinity"],"nums":["NaN","Infinity",2.50],\
            "grid":[[1.5],["-Infinity"]]}""");
  }

  @Test
  void jsonKeepsALoneSurrogateEscapedAndRepeatedKeysForTheRendererToReject() throws SQLException {
    assertThat(
            firstRow(
                """
        select '{"s": "\\ud800", "\\udc00k": 1, "ok": "\\ud83d\\ude00"}'::json j,
          array['["\\ud800"]'::json] js, '{"a": 1, "a": 2}'::json rep, '{"a": 1, "a": 2}'::jsonb dedup"""))
        .isEqualTo(
            """
            {"j":{"s":"\\ud800","\\udc00k":1,"ok":"\uD83D\uDE00"},"js":[["\\ud800"]],\
            "rep":{"a":1,"a":2},"dedup":{"a":2}}""");
  }

  @Test
  void jsonAndJsonbAreNestedJson() throws SQLException {
    assertThat(
            firstRow(
                """
        select '{"x": [1, 2.50, {"y": null}], "s": "a\\"b"}'::json js,
          '{"b": 1, "a": 2.50}'::jsonb jsb, '"text"'::jsonb str, 'null'::json nul"""))
        .isEqualTo(
            """
            {"js":{"x":[1,2.50,{"y":null}],"s":"a\\"b"},"jsb":{"a":2.50,"b":1},"str":"text",\
            "nul":null}""");
  }

  @Test
  void arraysAreJsonArraysWithTypedElements() throws SQLException {
    assertThat(
            firstRow(
                """
        select array[1, 2, null]::int[] ints, array['a', 'b"c', null] texts,
          array[1.50, 2.25]::numeric[] nums, array[[1, 2], [3, 4]] grid, '{}'::int[] empty,
          array[true, false] bools, array[date '2026-01-02'] dates,
          array[timestamp '2026-01-02 03:04:05.5'] stamps,
          array[timestamptz '2026-01-02 03:04:05+02'] zoned, array['{"a": 1.0}'::jsonb] docs,
          array['{"a": 1.0}'::json] jsons,
          array['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid] uuids, array['\\xaa'::bytea] bytes,
          array[1.5::float4, 'NaN'] floats, array[interval '1 day'] intervals"""))
        .isEqualTo(
            """
            {"ints":[1,2,null],"texts":["a","b\\"c",null],"nums":[1.50,2.25],"grid":[[1,2],[3,4]],\
            "empty":[],"bools":[true,false],"dates":["2026-01-02"],\
            "stamps":["2026-01-02T03:04:05.5"],"zoned":["2026-01-02T01:04:05Z"],\
            "docs":[{"a":1.0}],"jsons":[{"a":1.0}],\
            "uuids":["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],"bytes":["qg=="],\
            "floats":[1.5,"NaN"],"intervals":["0 years 0 mons 1 days 0 hours 0 mins 0.0 secs"]}""");
  }

  @Test
  void byteaIsBase64AndUuidIsAString() throws SQLException {
    assertThat(
            firstRow(
                """
        select '\\xaabb00'::bytea b, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u"""))
        .isEqualTo(
            """
            {"b":"qrsA","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}""");
  }

  @Test
  void intervalsAndOtherTypesAreTheirPostgresText() throws SQLException {
    assertThat(
            firstRow(
                """
        select interval '1 day 2 hours 3 minutes' iv, '192.168.0.1'::inet ip, 'x'::char(3) ch,
          '(1,2)'::point pt, row(1, 'a') rec, xmlparse(content '<a/>') x, 'abc'::text t,
          'q'::varchar(5) vc"""))
        .isEqualTo(
            """
            {"iv":"1 day 02:03:00","ip":"192.168.0.1","ch":"x  ","pt":"(1,2)","rec":"(1,a)",\
            "x":"<a/>","t":"abc","vc":"q"}""");
  }

  @Test
  void moneyIsTheDriversNumberAndMoneyArraysFallBackToText() throws SQLException {
    // pgjdbc reads money as a double, and cannot decode money[] at all
    assertThat(firstRow("select 12.5::money m, array[12.5::money] ms"))
        .isEqualTo(
            """
        {"m":12.5,"ms":"{$12.50}"}""");
  }

  @Test
  void nullsOfEveryTypeAreJsonNull() throws SQLException {
    String[] types = {
      "int2",
      "int4",
      "int8",
      "numeric",
      "numeric(10,2)",
      "float4",
      "float8",
      "bool",
      "bit(1)",
      "bit(3)",
      "text",
      "char(3)",
      "date",
      "time",
      "timetz",
      "timestamp",
      "timestamptz",
      "interval",
      "json",
      "jsonb",
      "uuid",
      "bytea",
      "int[]",
      "text[]",
      "jsonb[]",
      "timestamptz[]",
      "money",
      "inet",
      "xml"
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
    assertThat(key("select 42::int8 id")).isEqualTo("42");
    assertThat(key("select 'abc'::text id")).isEqualTo("abc");
    assertThat(key("select 12.50::numeric(10,2) id")).isEqualTo("12.50");
    assertThat(key("select 1e-20::numeric id")).isEqualTo("0.00000000000000000001");
    assertThat(key("select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid id"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(key("select date '2026-01-02' id")).isEqualTo("2026-01-02");
    assertThat(key("select timestamptz '2026-01-02 03:04:05+02' id"))
        .isEqualTo("2026-01-02T01:04:05Z");
    assertThat(key("select interval '1 day' id")).isEqualTo("1 day");
    assertThat(key("select null::int4 id")).isNull();
  }

  @Test
  void textIsEscapedAsJson() throws SQLException {
    try (var ps = pg.prepareStatement("select ?::text s")) {
      ps.setString(1, "quote\" backslash\\ newline\n bell\u0007 emoji\uD83D\uDE00");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(RowEncoder.of(rs.getMetaData(), "s").encodeRow(rs))
            .isEqualTo(
                "{\"s\":\"quote\\\" backslash\\\\ newline\\n bell\\u0007 emoji\uD83D\uDE00\"}");
      }
    }
  }

  private static String firstRow(String sql) throws SQLException {
    try (Statement s = pg.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), rs.getMetaData().getColumnLabel(1));
      assertThat(rs.next()).isTrue();
      return encoder.encodeRow(rs);
    }
  }

  private static String key(String sql) throws SQLException {
    try (Statement s = pg.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
      assertThat(rs.next()).isTrue();
      return encoder.key(rs);
    }
  }
}
