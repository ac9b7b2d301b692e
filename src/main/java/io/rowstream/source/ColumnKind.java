package io.rowstream.source;

import java.sql.Types;
import java.util.Locale;

/**
 * How a column is read from the result set and written as JSON, chosen once per column from the
 * metadata the driver reports ({@link #of}).
 */
enum ColumnKind {
  LONG, // getLong: SQL integers that fit a long
  FLOAT, // getFloat: single precision, written without widening to double
  DOUBLE,
  DECIMAL, // getObject: a BigDecimal, or a Double for PostgreSQL's NaN/Infinity numerics
  BOOLEAN,
  TEXT, // getString: text types, and types whose database text is the best JSON form (time)
  RAW_NUMBER, // getString written as a JSON number: DuckDB BIGNUM
  DATE,
  DUCK_DATE, // DuckDB DATE: getObject gives the proleptic LocalDate; getObject(LocalDate) does not
  TIMESTAMP, // without zone: wall time, no offset
  DUCK_TIMESTAMP, // DuckDB TIMESTAMP: getLong gives the stored microseconds
  TIMESTAMP_TZ, // an instant: written in UTC with Z
  EPOCH_MICROS, // DuckDB TIMESTAMPTZ: getLong gives the stored microseconds, see of
  BINARY,
  JSON, // json/jsonb text, written as nested JSON
  ARRAY,
  OBJECT; // getObject, written by the value's class; the database text when the class is unknown

  /**
   * The kind of a column from its JDBC type, the database's type name and the class name the driver
   * reports. The type name wins where drivers report a misleading JDBC type.
   */
  static ColumnKind of(int jdbcType, String typeName, String className, boolean duckDb) {
    String name = lower(typeName);
    if (duckDb && name.equals("date")) {
      return DUCK_DATE;
    }
    if (duckDb && name.equals("timestamp")) {
      return DUCK_TIMESTAMP;
    }
    if (isJsonType(name)) {
      return JSON; // PostgreSQL reports OTHER, MariaDB LONGVARCHAR, DuckDB OTHER
    }
    if (isZonedType(name) || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE) {
      // PostgreSQL reports timestamptz as plain TIMESTAMP. DuckDB JDBC 1.5.6 builds its
      // OffsetDateTime through the JVM zone's wall time, which moves or merges instants in the
      // hour after a daylight-saving change; its getLong gives the stored microseconds instead.
      return duckDb ? EPOCH_MICROS : TIMESTAMP_TZ;
    }
    switch (name) {
      case "bignum", "varint":
        return RAW_NUMBER;
      case "year":
        return LONG; // MariaDB reports YEAR as DATE
      case "bool":
        return BOOLEAN; // PostgreSQL reports bool as BIT
      default:
        break;
    }
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
          isJavaIntegral(className) ? LONG : OBJECT; // BIGINT UNSIGNED is BigInteger
      case Types.REAL -> FLOAT;
      case Types.FLOAT -> "java.lang.Float".equals(className) ? FLOAT : DOUBLE;
      case Types.DOUBLE -> DOUBLE;
      case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
      case Types.BOOLEAN -> BOOLEAN;
      // BIT(n) is a bit string in DuckDB and PostgreSQL, and bytes in MariaDB: a number there
      case Types.BIT -> "byte[]".equals(className) ? LONG : OBJECT;
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR,
          Types.CLOB,
          Types.NCLOB,
          Types.SQLXML,
          Types.TIME,
          Types.TIME_WITH_TIMEZONE ->
          TEXT;
      case Types.DATE -> DATE;
      case Types.TIMESTAMP -> TIMESTAMP;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
      case Types.ARRAY -> ARRAY;
      default -> OBJECT;
    };
  }

  /** json and jsonb, by the lower-case type name of a column or of an array's elements. */
  static boolean isJsonType(String lowerName) {
    return lowerName.equals("json") || lowerName.equals("jsonb");
  }

  /** A timestamp with a time zone, by its lower-case type name. */
  static boolean isZonedType(String lowerName) {
    return lowerName.equals("timestamptz") || lowerName.equals("timestamp with time zone");
  }

  /** The type name in lower case, "" for none. */
  static String lower(String typeName) {
    return typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
  }

  private static boolean isJavaIntegral(String className) {
    return "java.lang.Long".equals(className)
        || "java.lang.Integer".equals(className)
        || "java.lang.Short".equals(className)
        || "java.lang.Byte".equals(className);
  }
}
