package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import org.junit.jupiter.api.Test;

/** The kind of a column follows the type name where drivers report a misleading JDBC type. */
class ColumnKindTest {

  @Test
  void duckDbDatesAndTimestampsAreReadThroughTheirStoredForms() {
    assertThat(ColumnKind.of(Types.DATE, "DATE", "java.time.LocalDate", true))
        .isEqualTo(ColumnKind.DUCK_DATE);
    assertThat(ColumnKind.of(Types.TIMESTAMP, "TIMESTAMP", "java.sql.Timestamp", true))
        .isEqualTo(ColumnKind.DUCK_TIMESTAMP);
    assertThat(ColumnKind.of(Types.DATE, "date", "java.sql.Date", false))
        .isEqualTo(ColumnKind.DATE);
    assertThat(ColumnKind.of(Types.TIMESTAMP, "timestamp", "java.sql.Timestamp", false))
        .isEqualTo(ColumnKind.TIMESTAMP);
  }

  @Test
  void zonedTimestampsAreInstantsAndDuckDbOnesAreEpochMicros() {
    // PostgreSQL reports timestamptz as plain TIMESTAMP: the name decides
    assertThat(ColumnKind.of(Types.TIMESTAMP, "timestamptz", "java.sql.Timestamp", false))
        .isEqualTo(ColumnKind.TIMESTAMP_TZ);
    assertThat(ColumnKind.of(Types.TIMESTAMP_WITH_TIMEZONE, "whatever", null, false))
        .isEqualTo(ColumnKind.TIMESTAMP_TZ);
    assertThat(
            ColumnKind.of(
                Types.TIMESTAMP_WITH_TIMEZONE,
                "TIMESTAMP WITH TIME ZONE",
                "java.time.OffsetDateTime",
                true))
        .isEqualTo(ColumnKind.EPOCH_MICROS);
  }

  @Test
  void jsonIsKnownByItsNameWhateverTheJdbcType() {
    assertThat(ColumnKind.of(Types.OTHER, "jsonb", "java.lang.String", false))
        .isEqualTo(ColumnKind.JSON);
    assertThat(ColumnKind.of(Types.LONGVARCHAR, "JSON", "java.lang.String", false))
        .isEqualTo(ColumnKind.JSON);
    assertThat(ColumnKind.of(Types.OTHER, "JSON", "org.duckdb.JsonNode", true))
        .isEqualTo(ColumnKind.JSON);
  }

  @Test
  void namesThatDriversMisreportWinOverTheJdbcType() {
    assertThat(ColumnKind.of(Types.OTHER, "BIGNUM", "java.lang.String", true))
        .isEqualTo(ColumnKind.RAW_NUMBER);
    assertThat(ColumnKind.of(Types.OTHER, "varint", "java.lang.String", true))
        .isEqualTo(ColumnKind.RAW_NUMBER);
    assertThat(ColumnKind.of(Types.DATE, "YEAR", "java.sql.Date", false))
        .isEqualTo(ColumnKind.LONG);
    assertThat(ColumnKind.of(Types.BIT, "bool", "java.lang.Boolean", false))
        .isEqualTo(ColumnKind.BOOLEAN);
  }

  @Test
  void integersAreLongsOnlyWhenTheDriverGivesAJavaIntegral() {
    assertThat(ColumnKind.of(Types.INTEGER, "int4", "java.lang.Integer", false))
        .isEqualTo(ColumnKind.LONG);
    assertThat(ColumnKind.of(Types.TINYINT, "TINYINT", "java.lang.Byte", true))
        .isEqualTo(ColumnKind.LONG);
    assertThat(ColumnKind.of(Types.BIGINT, "BIGINT UNSIGNED", "java.math.BigInteger", false))
        .isEqualTo(ColumnKind.OBJECT);
  }

  @Test
  void floatsStaySinglePrecisionWhereTheDriverSaysSo() {
    assertThat(ColumnKind.of(Types.REAL, "float4", "java.lang.Float", false))
        .isEqualTo(ColumnKind.FLOAT);
    assertThat(ColumnKind.of(Types.FLOAT, "FLOAT", "java.lang.Float", true))
        .isEqualTo(ColumnKind.FLOAT);
    assertThat(ColumnKind.of(Types.FLOAT, "float", "java.lang.Double", false))
        .isEqualTo(ColumnKind.DOUBLE);
    assertThat(ColumnKind.of(Types.DOUBLE, "float8", "java.lang.Double", false))
        .isEqualTo(ColumnKind.DOUBLE);
  }

  @Test
  void bitStringsAreNumbersOnlyWhenTheDriverGivesBytes() {
    assertThat(ColumnKind.of(Types.BIT, "BIT", "byte[]", false)).isEqualTo(ColumnKind.LONG);
    assertThat(ColumnKind.of(Types.BIT, "bit", "java.lang.String", false))
        .isEqualTo(ColumnKind.OBJECT);
  }

  @Test
  void textTimesBinariesArraysAndTheRest() {
    assertThat(ColumnKind.of(Types.VARCHAR, "varchar", "java.lang.String", false))
        .isEqualTo(ColumnKind.TEXT);
    assertThat(ColumnKind.of(Types.TIME, "time", "java.sql.Time", false))
        .isEqualTo(ColumnKind.TEXT);
    assertThat(ColumnKind.of(Types.NUMERIC, "numeric", "java.math.BigDecimal", false))
        .isEqualTo(ColumnKind.DECIMAL);
    assertThat(ColumnKind.of(Types.BLOB, "BLOB", "java.sql.Blob", true))
        .isEqualTo(ColumnKind.BINARY);
    assertThat(ColumnKind.of(Types.ARRAY, "_int4", "java.sql.Array", false))
        .isEqualTo(ColumnKind.ARRAY);
    assertThat(ColumnKind.of(Types.OTHER, "uuid", "java.util.UUID", false))
        .isEqualTo(ColumnKind.OBJECT);
    assertThat(ColumnKind.of(Types.OTHER, null, null, false)).isEqualTo(ColumnKind.OBJECT);
  }

  @Test
  void typeNamesAreComparedInLowerCase() {
    assertThat(ColumnKind.lower(null)).isEmpty();
    assertThat(ColumnKind.lower("TIMESTAMP WITH TIME ZONE")).isEqualTo("timestamp with time zone");
    assertThat(ColumnKind.isZonedType("timestamp with time zone")).isTrue();
    assertThat(ColumnKind.isZonedType("timestamp")).isFalse();
    assertThat(ColumnKind.isJsonType("jsonb")).isTrue();
    assertThat(ColumnKind.isJsonType("JSON")).isFalse();
  }
}
