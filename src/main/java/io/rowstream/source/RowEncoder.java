package io.rowstream.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import io.rowstream.core.Surrogates;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.DuckDBStruct;
import org.duckdb.JsonNode;

/**
 * Turns the rows of one result set into JSON objects whose values keep their SQL meaning (SPEC
 * §4.7) and the README's encoding rules: dates and timestamps proleptic Gregorian with astronomical
 * years and the words infinity/-infinity, NaN and infinities as strings, -0.0 kept, lone surrogates
 * as escapes (the renderer rejects them), json text copied with its repeated keys (the renderer
 * rejects them). A writer is chosen per column once, from the metadata; one generator and one
 * buffer are reused for every row. Not thread-safe: one instance per result set.
 */
final class RowEncoder {

  private static final JsonFactory JSON =
      new JsonFactoryBuilder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
          .rootValueSeparator((String) null)
          .build();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  /** How a column is read from the result set and written as JSON. */
  private enum Kind {
    LONG, // getLong: SQL integers that fit a long
    FLOAT, // getFloat: single precision, written without widening to double
    DOUBLE,
    DECIMAL, // getObject: a BigDecimal, or a Double for PostgreSQL's NaN/Infinity numerics
    BOOLEAN,
    TEXT, // getString: text types, and types whose database text is the best JSON form (time)
    RAW_NUMBER, // getString written as a JSON number: DuckDB BIGNUM
    DATE,
    DUCK_DATE, // DuckDB DATE: getObject gives the proleptic LocalDate; getObject(LocalDate) does
    // not
    TIMESTAMP, // without zone: wall time, no offset
    DUCK_TIMESTAMP, // DuckDB TIMESTAMP: getLong gives the stored microseconds
    TIMESTAMP_TZ, // an instant: written in UTC with Z
    EPOCH_MICROS, // DuckDB TIMESTAMPTZ: getLong gives the stored microseconds, see kindOf
    BINARY,
    JSON, // json/jsonb text, written as nested JSON
    ARRAY,
    OBJECT // getObject, written by the value's class; the database text when the class is unknown
  }

  private final List<String> names;
  private final SerializedString[] fieldNames;
  private final Kind[] kinds;
  private final int keyColumn;
  private final boolean duckDb;
  private final TextBuffer out = new TextBuffer();
  private final char[] scratch = new char[IsoText.MAX_LENGTH];
  private JsonGenerator gen;

  private RowEncoder(List<String> names, Kind[] kinds, int keyColumn, boolean duckDb) {
    this.names = List.copyOf(names);
    this.kinds = kinds;
    this.keyColumn = keyColumn;
    this.duckDb = duckDb;
    this.fieldNames = new SerializedString[names.size()];
    for (int c = 0; c < fieldNames.length; c++) {
      fieldNames[c] = new SerializedString(names.get(c));
    }
    this.gen = newGenerator();
  }

  /**
   * Reads the result set's metadata once; the primary key column is found case-insensitively, or
   * IllegalArgumentException naming the column and listing the available ones.
   */
  static RowEncoder of(ResultSetMetaData md, String primaryKeyColumn) throws SQLException {
    return of(md, md.getColumnCount(), primaryKeyColumn);
  }

  /** Encodes only the first {@code count} columns; the ones after are the caller's. */
  static RowEncoder of(ResultSetMetaData md, int count, String primaryKeyColumn)
      throws SQLException {
    List<String> names = new ArrayList<>(count);
    Kind[] kinds = new Kind[count];
    boolean duckDb = md instanceof DuckDBResultSetMetaData;
    for (int c = 0; c < count; c++) {
      String name = md.getColumnLabel(c + 1);
      if (names.contains(name)) {
        throw new IllegalArgumentException(
            "column '"
                + name
                + "' appears more than once in the query; give each column its own"
                + " name (e.g. with AS)");
      }
      names.add(name);
      kinds[c] =
          kindOf(
              md.getColumnType(c + 1),
              md.getColumnTypeName(c + 1),
              md.getColumnClassName(c + 1),
              duckDb);
    }
    return new RowEncoder(names, kinds, keyIndex(names, primaryKeyColumn), duckDb);
  }

  List<String> columnNames() {
    return names;
  }

  /** The current row as one JSON object text, columns in query order. */
  String encodeRow(ResultSet rs) throws SQLException {
    boolean written = false;
    try {
      gen.writeStartObject();
      for (int c = 0; c < kinds.length; c++) {
        gen.writeFieldName(fieldNames[c]);
        try {
          writeColumn(rs, c);
        } catch (DateTimeException e) {
          throw unreadable(c, e);
        }
      }
      gen.writeEndObject();
      gen.flush();
      written = true;
      return out.take();
    } catch (IOException e) {
      throw new SQLException("could not encode the row as JSON: " + e.getMessage(), e);
    } finally {
      if (!written) {
        // the generator is somewhere inside the object: start the next row from a clean one
        gen = newGenerator();
      }
    }
  }

  /** DuckDB's driver fails on TIMESTAMP_S infinities with an unchecked exception of java.time. */
  private SQLException unreadable(int column, DateTimeException e) {
    return new SQLException(
        "the driver cannot read the date/time value of column '"
            + names.get(column)
            + "' ("
            + e.getMessage()
            + "); for a DuckDB TIMESTAMP_S infinity, cast the column to TIMESTAMP"
            + " in the query",
        e);
  }

  /**
   * The primary key value of the current row as text (42 -> "42", decimals plain, uuid string,
   * strings as is, dates ISO), or null when SQL NULL.
   */
  String key(ResultSet rs) throws SQLException {
    int i = keyColumn + 1;
    switch (kinds[keyColumn]) {
      case LONG -> {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Long.toString(v);
      }
      case FLOAT -> {
        float v = rs.getFloat(i);
        return rs.wasNull() ? null : Float.toString(v);
      }
      case DOUBLE -> {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : Double.toString(v);
      }
      case BOOLEAN -> {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : Boolean.toString(v);
      }
      case TEXT, RAW_NUMBER, JSON -> {
        return rs.getString(i);
      }
      case DATE -> {
        return textOf(rs.getObject(i, LocalDate.class));
      }
      case DUCK_DATE, DUCK_TIMESTAMP -> {
        Object v = kinds[keyColumn] == Kind.DUCK_DATE ? rs.getObject(i) : duckMicros(rs, i);
        return v == null ? null : new String(scratch, 0, IsoText.duck(scratch, v));
      }
      case TIMESTAMP -> {
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        return v == null
            ? null
            : new String(
                scratch, 0, duckDb ? IsoText.duck(scratch, v) : IsoText.dateTime(scratch, v));
      }
      case TIMESTAMP_TZ -> {
        return textOf(rs.getObject(i, OffsetDateTime.class));
      }
      case EPOCH_MICROS -> {
        long micros = rs.getLong(i);
        return rs.wasNull() ? null : new String(scratch, 0, IsoText.epochMicros(scratch, micros));
      }
      case BINARY -> {
        byte[] v = rs.getBytes(i);
        return v == null ? null : BASE64.encodeToString(v);
      }
      default -> {
        Object v = rs.getObject(i);
        return v == null || isKnown(v) ? textOf(v) : rs.getString(i);
      }
    }
  }

  private static Kind kindOf(int jdbcType, String typeName, String className, boolean duckDb) {
    String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    if (duckDb && name.equals("date")) {
      return Kind.DUCK_DATE;
    }
    if (duckDb && name.equals("timestamp")) {
      return Kind.DUCK_TIMESTAMP;
    }
    if (isJsonType(name)) {
      return Kind.JSON; // PostgreSQL reports OTHER, MariaDB LONGVARCHAR, DuckDB OTHER
    }
    if (isZonedType(name) || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE) {
      // PostgreSQL reports timestamptz as plain TIMESTAMP. DuckDB JDBC 1.5.6 builds its
      // OffsetDateTime through the JVM zone's wall time, which moves or merges instants in the
      // hour after a daylight-saving change; its getLong gives the stored microseconds instead.
      return duckDb ? Kind.EPOCH_MICROS : Kind.TIMESTAMP_TZ;
    }
    switch (name) {
      case "bignum", "varint":
        return Kind.RAW_NUMBER;
      case "year":
        return Kind.LONG; // MariaDB reports YEAR as DATE
      case "bool":
        return Kind.BOOLEAN; // PostgreSQL reports bool as BIT
      default:
        break;
    }
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
          isJavaIntegral(className) ? Kind.LONG : Kind.OBJECT; // BIGINT UNSIGNED is BigInteger
      case Types.REAL -> Kind.FLOAT;
      case Types.FLOAT -> "java.lang.Float".equals(className) ? Kind.FLOAT : Kind.DOUBLE;
      case Types.DOUBLE -> Kind.DOUBLE;
      case Types.NUMERIC, Types.DECIMAL -> Kind.DECIMAL;
      case Types.BOOLEAN -> Kind.BOOLEAN;
      // BIT(n) is a bit string in DuckDB and PostgreSQL, and bytes in MariaDB: a number there
      case Types.BIT -> "byte[]".equals(className) ? Kind.LONG : Kind.OBJECT;
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
          Kind.TEXT;
      case Types.DATE -> Kind.DATE;
      case Types.TIMESTAMP -> Kind.TIMESTAMP;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BINARY;
      case Types.ARRAY -> Kind.ARRAY;
      default -> Kind.OBJECT;
    };
  }

  private static boolean isJsonType(String lowerName) {
    return lowerName.equals("json") || lowerName.equals("jsonb");
  }

  private static boolean isZonedType(String lowerName) {
    return lowerName.equals("timestamptz") || lowerName.equals("timestamp with time zone");
  }

  private static boolean isJavaIntegral(String className) {
    return "java.lang.Long".equals(className)
        || "java.lang.Integer".equals(className)
        || "java.lang.Short".equals(className)
        || "java.lang.Byte".equals(className);
  }

  private static int keyIndex(List<String> names, String key) {
    int found = KeyColumn.indexIn(names, key);
    if (found == KeyColumn.AMBIGUOUS) {
      List<String> matches = names.stream().filter(key::equalsIgnoreCase).toList();
      throw new IllegalArgumentException(
          "primary key column '"
              + key
              + "' matches both '"
              + matches.get(0)
              + "' and '"
              + matches.get(1)
              + "'; use the exact name");
    }
    if (found < 0) {
      throw new IllegalArgumentException(
          "primary key column '"
              + key
              + "' is not among the query's columns: "
              + String.join(", ", names));
    }
    return found;
  }

  private JsonGenerator newGenerator() {
    out.clear();
    try {
      return JSON.createGenerator(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen: the buffer is in memory", e);
    }
  }

  private void writeColumn(ResultSet rs, int c) throws SQLException, IOException {
    int i = c + 1;
    switch (kinds[c]) {
      case LONG -> {
        long v = rs.getLong(i);
        if (rs.wasNull()) gen.writeNull();
        else gen.writeNumber(v);
      }
      case FLOAT -> {
        float v = rs.getFloat(i);
        if (rs.wasNull()) gen.writeNull();
        else writeFloat(v);
      }
      case DOUBLE -> {
        double v = rs.getDouble(i);
        if (rs.wasNull()) gen.writeNull();
        else writeDouble(v);
      }
      case DECIMAL -> writeValue(rs.getObject(i));
      case BOOLEAN -> {
        boolean v = rs.getBoolean(i);
        if (rs.wasNull()) gen.writeNull();
        else gen.writeBoolean(v);
      }
      case TEXT -> writeText(rs.getString(i));
      case RAW_NUMBER -> {
        String v = rs.getString(i);
        if (v == null) gen.writeNull();
        else gen.writeNumber(v);
      }
      case DATE -> {
        LocalDate v = rs.getObject(i, LocalDate.class);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, IsoText.date(scratch, v));
      }
      case DUCK_DATE -> writeValue(rs.getObject(i));
      case TIMESTAMP -> {
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        if (v == null) gen.writeNull();
        else
          gen.writeString(
              scratch, 0, duckDb ? IsoText.duck(scratch, v) : IsoText.dateTime(scratch, v));
      }
      case DUCK_TIMESTAMP -> {
        DuckMicros v = duckMicros(rs, i);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, IsoText.duck(scratch, v));
      }
      case TIMESTAMP_TZ -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, IsoText.instant(scratch, v));
      }
      case EPOCH_MICROS -> {
        long micros = rs.getLong(i);
        if (rs.wasNull()) gen.writeNull();
        else gen.writeString(scratch, 0, IsoText.epochMicros(scratch, micros));
      }
      case BINARY -> {
        byte[] v = rs.getBytes(i);
        if (v == null) gen.writeNull();
        else gen.writeBinary(v);
      }
      case JSON -> {
        String v = rs.getString(i);
        if (v == null) gen.writeNull();
        else writeJsonText(v, c);
      }
      case ARRAY -> writeArray(rs, c);
      case OBJECT -> {
        Object v = rs.getObject(i);
        if (!writeKnown(v)) writeText(rs.getString(i));
      }
    }
  }

  private void writeArray(ResultSet rs, int c) throws SQLException, IOException {
    Array array = rs.getArray(c + 1);
    if (array == null) {
      gen.writeNull();
      return;
    }
    try {
      if (writeTemporalArray(array, lower(array.getBaseTypeName()))) {
        return;
      }
      Object elements;
      try {
        elements = array.getArray();
      } catch (SQLException e) {
        // pgjdbc cannot decode some element types (money[]): keep the database's text
        writeText(rs.getString(c + 1));
        return;
      }
      writeElements(array.getBaseTypeName(), elements);
    } finally {
      array.free();
    }
  }

  private void writeArray(Array array) throws SQLException, IOException {
    try {
      if (writeTemporalArray(array, lower(array.getBaseTypeName()))) {
        return;
      }
      writeElements(array.getBaseTypeName(), array.getArray());
    } finally {
      array.free();
    }
  }

  /**
   * Arrays of dates and timestamps are read element by element as java.time values: the drivers'
   * getArray gives java.sql.Date and Timestamp, which use the Julian calendar before 1582 and the
   * JVM zone's wall time, and lose BC years and infinities. PostgreSQL numeric arrays too: pgjdbc's
   * getArray refuses NaN and Infinity elements.
   */
  private boolean writeTemporalArray(Array array, String base) throws SQLException, IOException {
    Class<?> type =
        duckDb
            ? (base.equals("timestamp") || base.equals("timestamp_with_time_zone")
                ? Long.class
                : null)
            : switch (base) {
              case "date" -> LocalDate.class;
              case "timestamp" -> LocalDateTime.class;
              case "timestamptz" -> OffsetDateTime.class;
              case "numeric" -> Object.class;
              default -> null;
            };
    if (type == null) {
      return false;
    }
    gen.writeStartArray();
    try (ResultSet elements = array.getResultSet()) {
      while (elements.next()) {
        Object v;
        if (type == Long.class) {
          long micros = elements.getLong(2);
          v = elements.wasNull() ? null : new DuckMicros(micros, !base.equals("timestamp"));
        } else {
          v = elements.getObject(2);
          if (v instanceof Array inner) {
            writeArray(inner); // PostgreSQL multi-dimensional arrays
            continue;
          }
          if (type == Object.class) {
            writeValue(v);
            continue;
          }
          v = v == null ? null : elements.getObject(2, type);
        }
        if (v == null) gen.writeNull();
        else
          gen.writeString(
              scratch,
              0,
              duckDb
                  ? IsoText.duck(scratch, v)
                  : type == OffsetDateTime.class
                      ? IsoText.instant(scratch, (OffsetDateTime) v)
                      : IsoText.any(scratch, v));
      }
    }
    gen.writeEndArray();
    return true;
  }

  private void writeElements(String baseTypeName, Object elements)
      throws SQLException, IOException {
    String base = lower(baseTypeName);
    if (elements instanceof Object[] values) {
      writeElements(values, isJsonType(base), isZonedType(base));
    } else {
      writeValue(elements);
    }
  }

  /**
   * Elements carry no column metadata, so the array's base type says what the driver could not:
   * PostgreSQL gives jsonb[] elements as String and timestamptz[] elements as Timestamp.
   */
  private void writeElements(Object[] values, boolean json, boolean zoned)
      throws SQLException, IOException {
    gen.writeStartArray();
    for (Object v : values) {
      if (v instanceof Object[] inner) {
        writeElements(inner, json, zoned); // PostgreSQL multi-dimensional arrays
      } else if (json && v instanceof String text) {
        writeJsonText(text, -1);
      } else if (zoned && v instanceof Timestamp ts) {
        gen.writeString(
            scratch,
            0,
            IsoText.instant(scratch, Math.floorDiv(ts.getTime(), 1000L), ts.getNanos()));
      } else {
        writeValue(v);
      }
    }
    gen.writeEndArray();
  }

  private static String lower(String typeName) {
    return typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
  }

  private void writeValue(Object v) throws SQLException, IOException {
    if (!writeKnown(v)) {
      writeText(v.toString());
    }
  }

  /**
   * Writes a JSON string. A lone surrogate is written as its escape ({@code \ud800}) so that the
   * row's text survives UTF-8 and the renderer rejects the row as invalid_text naming the column.
   */
  private void writeText(String s) throws IOException {
    if (s == null) {
      gen.writeNull();
    } else if (Surrogates.findLone(s) < 0) {
      gen.writeString(s);
    } else {
      gen.writeRawValue("\"" + new String(quoteKeepingLoneSurrogates(s)) + "\"");
    }
  }

  private void writeName(String name) throws IOException {
    if (Surrogates.findLone(name) < 0) {
      gen.writeFieldName(name);
    } else {
      gen.writeFieldName(new EscapedName(name, quoteKeepingLoneSurrogates(name)));
    }
  }

  /** The text quoted for a JSON string (without the quotes), lone surrogates as escapes. */
  private static char[] quoteKeepingLoneSurrogates(String s) {
    StringBuilder quoted = new StringBuilder(s.length() + 16);
    int start = 0;
    int lone;
    while ((lone = Surrogates.findLone(s.substring(start))) >= 0) {
      quoted.append(
          JsonStringEncoder.getInstance().quoteAsString(s.substring(start, start + lone)));
      quoted.append(Surrogates.escape(s.charAt(start + lone)));
      start += lone + 1;
    }
    quoted.append(JsonStringEncoder.getInstance().quoteAsString(s.substring(start)));
    char[] chars = new char[quoted.length()];
    quoted.getChars(0, chars.length, chars, 0);
    return chars;
  }

  /** Writes a value by its class; false, having written nothing, when the class is unknown. */
  private boolean writeKnown(Object v) throws SQLException, IOException {
    if (v == null) {
      gen.writeNull();
    } else if (v instanceof String s) {
      writeText(s);
    } else if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte) {
      gen.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigDecimal d) {
      gen.writeNumber(d.toPlainString());
    } else if (v instanceof BigInteger b) {
      gen.writeNumber(b);
    } else if (v instanceof Double d) {
      writeDouble(d);
    } else if (v instanceof Float f) {
      writeFloat(f);
    } else if (v instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof OffsetDateTime
        || v instanceof java.util.Date
        || v instanceof LocalTime
        || v instanceof OffsetTime
        || v instanceof Instant
        || v instanceof ZonedDateTime
        || v instanceof DuckMicros) {
      gen.writeString(scratch, 0, duckDb ? IsoText.duck(scratch, v) : IsoText.any(scratch, v));
    } else if (v instanceof UUID u) {
      gen.writeString(u.toString());
    } else if (v instanceof byte[] b) {
      gen.writeBinary(b);
    } else if (v instanceof Blob b) {
      gen.writeBinary(b.getBytes(1, (int) b.length()));
    } else if (v instanceof Array a) {
      writeArray(a);
    } else if (v instanceof Object[] values) {
      writeElements(values, false, false);
    } else if (v instanceof DuckDBStruct s) {
      writeMap(s.getMap());
    } else if (v instanceof Struct s) {
      writeElements(s.getAttributes(), false, false); // no field names in java.sql.Struct
    } else if (v instanceof Map<?, ?> m) {
      writeMap(m);
    } else if (v instanceof JsonNode j) {
      writeJsonText(j.toString(), -1);
    } else {
      return false;
    }
    return true;
  }

  private void writeMap(Map<?, ?> map) throws SQLException, IOException {
    gen.writeStartObject();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey();
      writeName(
          duckDb && isTemporal(key)
              ? new String(scratch, 0, IsoText.duck(scratch, key))
              : String.valueOf(textOf(key)));
      writeValue(e.getValue());
    }
    gen.writeEndObject();
  }

  private void writeFloat(float v) throws IOException {
    if (Float.isFinite(v)) gen.writeNumber(v);
    else gen.writeString(Float.toString(v)); // NaN, Infinity, -Infinity
  }

  private void writeDouble(double v) throws IOException {
    if (Double.isFinite(v)) gen.writeNumber(v);
    else gen.writeString(Double.toString(v));
  }

  /**
   * Copies JSON text into the row as nested JSON. Numbers keep their text: Jackson's own copy would
   * turn 2.50 into the double 2.5.
   */
  private void writeJsonText(String text, int column) throws SQLException, IOException {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new SQLException(where(column) + " holds empty text where JSON was expected");
      }
      int depth = 0;
      do {
        switch (t) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> gen.writeNumber(p.getText());
          case FIELD_NAME -> writeName(p.currentName());
          case VALUE_STRING -> writeText(p.getText());
          case START_OBJECT, START_ARRAY -> {
            depth++;
            gen.copyCurrentEvent(p);
          }
          case END_OBJECT, END_ARRAY -> {
            depth--;
            gen.copyCurrentEvent(p);
          }
          default -> gen.copyCurrentEvent(p);
        }
      } while (depth > 0 && (t = p.nextToken()) != null);
      if (p.nextToken() != null) {
        throw new SQLException(where(column) + " holds more than one JSON value");
      }
    } catch (JsonProcessingException e) {
      throw new SQLException(
          where(column) + " holds text that is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private String where(int column) {
    return column < 0 ? "a JSON element" : "column '" + names.get(column) + "'";
  }

  private static boolean isTemporal(Object v) {
    return v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof OffsetDateTime
        || v instanceof java.util.Date;
  }

  private static DuckMicros duckMicros(ResultSet rs, int i) throws SQLException {
    long micros = rs.getLong(i);
    return rs.wasNull() ? null : new DuckMicros(micros, false);
  }

  private static boolean isKnown(Object v) {
    return v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof UUID
        || v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof OffsetDateTime
        || v instanceof java.util.Date
        || v instanceof byte[];
  }

  /** The text form of a scalar: map keys, primary keys. */
  private static String textOf(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof String s) {
      return s;
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof OffsetDateTime
        || v instanceof java.util.Date) {
      char[] chars = new char[IsoText.MAX_LENGTH];
      return new String(chars, 0, IsoText.any(chars, v));
    } else if (v instanceof byte[] b) {
      return BASE64.encodeToString(b);
    }
    return v.toString();
  }
}
