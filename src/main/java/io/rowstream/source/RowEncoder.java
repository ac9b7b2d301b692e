package io.rowstream.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.Writer;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * §4.7). A writer is chosen per column once, from the metadata; one generator and one buffer are
 * reused for every row. Not thread-safe: one instance per result set.
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
    TIMESTAMP, // without zone: wall time, no offset
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
  private final TextBuffer out = new TextBuffer();
  private final char[] scratch = new char[Iso.MAX_LENGTH];
  private JsonGenerator gen;

  private RowEncoder(List<String> names, Kind[] kinds, int keyColumn) {
    this.names = List.copyOf(names);
    this.kinds = kinds;
    this.keyColumn = keyColumn;
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
  static RowEncoder of(ResultSetMetaData md, int count, String primaryKeyColumn) throws SQLException {
    List<String> names = new ArrayList<>(count);
    Kind[] kinds = new Kind[count];
    boolean duckDb = md instanceof DuckDBResultSetMetaData;
    for (int c = 0; c < count; c++) {
      String name = md.getColumnLabel(c + 1);
      if (names.contains(name)) {
        throw new IllegalArgumentException(
            "column '" + name + "' appears more than once in the query; give each column its own"
                + " name (e.g. with AS)");
      }
      names.add(name);
      kinds[c] = kindOf(md.getColumnType(c + 1), md.getColumnTypeName(c + 1),
          md.getColumnClassName(c + 1), duckDb);
    }
    return new RowEncoder(names, kinds, keyIndex(names, primaryKeyColumn));
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
        writeColumn(rs, c);
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
      case TIMESTAMP -> {
        return textOf(rs.getObject(i, LocalDateTime.class));
      }
      case TIMESTAMP_TZ -> {
        return textOf(rs.getObject(i, OffsetDateTime.class));
      }
      case EPOCH_MICROS -> {
        long micros = rs.getLong(i);
        return rs.wasNull() ? null : new String(scratch, 0, Iso.epochMicros(scratch, micros));
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
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR,
          Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB, Types.SQLXML, Types.TIME,
          Types.TIME_WITH_TIMEZONE -> Kind.TEXT;
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
      throw new IllegalArgumentException("primary key column '" + key + "' matches both '" + matches.get(0)
          + "' and '" + matches.get(1) + "'; use the exact name");
    }
    if (found < 0) {
      throw new IllegalArgumentException(
          "primary key column '" + key + "' is not among the query's columns: "
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
      case TEXT -> gen.writeString(rs.getString(i));
      case RAW_NUMBER -> {
        String v = rs.getString(i);
        if (v == null) gen.writeNull();
        else gen.writeNumber(v);
      }
      case DATE -> {
        LocalDate v = rs.getObject(i, LocalDate.class);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, Iso.date(scratch, v));
      }
      case TIMESTAMP -> {
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, Iso.dateTime(scratch, v));
      }
      case TIMESTAMP_TZ -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        if (v == null) gen.writeNull();
        else gen.writeString(scratch, 0, Iso.instant(scratch, v));
      }
      case EPOCH_MICROS -> {
        long micros = rs.getLong(i);
        if (rs.wasNull()) gen.writeNull();
        else gen.writeString(scratch, 0, Iso.epochMicros(scratch, micros));
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
        if (!writeKnown(v)) gen.writeString(rs.getString(i));
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
      Object elements;
      try {
        elements = array.getArray();
      } catch (SQLException e) {
        // pgjdbc cannot decode some element types (money[]): keep the database's text
        gen.writeString(rs.getString(c + 1));
        return;
      }
      writeElements(array.getBaseTypeName(), elements);
    } finally {
      array.free();
    }
  }

  private void writeArray(Array array) throws SQLException, IOException {
    try {
      writeElements(array.getBaseTypeName(), array.getArray());
    } finally {
      array.free();
    }
  }

  private void writeElements(String baseTypeName, Object elements)
      throws SQLException, IOException {
    String base = baseTypeName == null ? "" : baseTypeName.toLowerCase(Locale.ROOT);
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
        gen.writeString(scratch, 0,
            Iso.instant(scratch, Math.floorDiv(ts.getTime(), 1000L), ts.getNanos()));
      } else {
        writeValue(v);
      }
    }
    gen.writeEndArray();
  }

  private void writeValue(Object v) throws SQLException, IOException {
    if (!writeKnown(v)) {
      gen.writeString(v.toString());
    }
  }

  /** Writes a value by its class; false, having written nothing, when the class is unknown. */
  private boolean writeKnown(Object v) throws SQLException, IOException {
    if (v == null) {
      gen.writeNull();
    } else if (v instanceof String s) {
      gen.writeString(s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short
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
    } else if (v instanceof LocalDate || v instanceof LocalDateTime || v instanceof OffsetDateTime
        || v instanceof java.util.Date || v instanceof LocalTime || v instanceof OffsetTime
        || v instanceof Instant || v instanceof ZonedDateTime) {
      gen.writeString(scratch, 0, Iso.any(scratch, v));
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
      gen.writeFieldName(String.valueOf(textOf(e.getKey())));
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
   * Copies JSON text into the row as nested JSON. Numbers keep their text: Jackson's own copy
   * would turn 2.50 into the double 2.5.
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
      throw new SQLException(where(column) + " holds text that is not JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  private String where(int column) {
    return column < 0 ? "a JSON element" : "column '" + names.get(column) + "'";
  }

  private static boolean isKnown(Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean
        || v instanceof UUID || v instanceof LocalDate || v instanceof LocalDateTime
        || v instanceof OffsetDateTime || v instanceof java.util.Date || v instanceof byte[];
  }

  /** The text form of a scalar: map keys, primary keys. */
  private static String textOf(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof String s) {
      return s;
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (v instanceof LocalDate || v instanceof LocalDateTime || v instanceof OffsetDateTime
        || v instanceof java.util.Date) {
      char[] chars = new char[Iso.MAX_LENGTH];
      return new String(chars, 0, Iso.any(chars, v));
    } else if (v instanceof byte[] b) {
      return BASE64.encodeToString(b);
    }
    return v.toString();
  }

  /**
   * ISO-8601 text written into a char buffer, without DateTimeFormatter for years 0000-9999.
   * Each method returns the text's length.
   */
  private static final class Iso {
    static final int MAX_LENGTH = 64;
    private static final long FIRST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long LAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private Iso() {}

    /** Any date/time value the drivers hand out, nested values included. */
    static int any(char[] b, Object v) {
      if (v instanceof LocalDate d) return date(b, d);
      if (v instanceof LocalDateTime t) return dateTime(b, t);
      if (v instanceof OffsetDateTime t) return instant(b, t);
      // DuckDB and PostgreSQL give zone-less timestamps inside lists and structs as Timestamp
      if (v instanceof Timestamp t) return dateTime(b, t.toLocalDateTime());
      if (v instanceof java.sql.Date d) return date(b, d.toLocalDate());
      if (v instanceof java.sql.Time t) return time(b, 0, t.toLocalTime());
      if (v instanceof LocalTime t) return time(b, 0, t);
      if (v instanceof java.util.Date d) {
        long millis = d.getTime();
        int nano = (int) Math.floorMod(millis, 1000L) * 1_000_000;
        return instant(b, Math.floorDiv(millis, 1000L), nano);
      }
      if (v instanceof OffsetTime t) {
        return copy(b, time(b, 0, t.toLocalTime()), t.getOffset().getId());
      }
      if (v instanceof Instant t) return instant(b, t.getEpochSecond(), t.getNano());
      if (v instanceof ZonedDateTime t) return instant(b, t.toOffsetDateTime());
      throw new IllegalArgumentException("not a date or time: " + v.getClass().getName());
    }

    static int date(char[] b, LocalDate d) {
      if (!fits(d.getYear())) {
        // pgjdbc stands for 'infinity' and '-infinity' with LocalDate.MAX and MIN
        return copy(b, 0, d.equals(LocalDate.MAX) ? "infinity" : d.equals(LocalDate.MIN)
            ? "-infinity" : DateTimeFormatter.ISO_LOCAL_DATE.format(d));
      }
      return ymd(b, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    static int dateTime(char[] b, LocalDateTime t) {
      if (!fits(t.getYear())) {
        return copy(b, 0, t.equals(LocalDateTime.MAX) ? "infinity"
            : t.equals(LocalDateTime.MIN) ? "-infinity"
            : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
      }
      int p = ymd(b, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
      b[p++] = 'T';
      return time(b, p, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    /** The instant in UTC, with Z. */
    static int instant(char[] b, OffsetDateTime t) {
      long epochSecond = t.toEpochSecond();
      if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
        if (t.equals(OffsetDateTime.MAX)) return copy(b, 0, "infinity");
        if (t.equals(OffsetDateTime.MIN)) return copy(b, 0, "-infinity");
      }
      return instant(b, epochSecond, t.getNano());
    }

    /** DuckDB's stored TIMESTAMPTZ microseconds, where +-Long.MAX_VALUE are its infinities. */
    static int epochMicros(char[] b, long micros) {
      if (micros == Long.MAX_VALUE) return copy(b, 0, "infinity");
      if (micros == -Long.MAX_VALUE) return copy(b, 0, "-infinity");
      return instant(b, Math.floorDiv(micros, 1_000_000L),
          (int) Math.floorMod(micros, 1_000_000L) * 1000);
    }

    static int instant(char[] b, long epochSecond, int nano) {
      if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
        return copy(b, 0, DateTimeFormatter.ISO_INSTANT.format(
            Instant.ofEpochSecond(epochSecond, nano)));
      }
      int p = dateTime(b, LocalDateTime.ofEpochSecond(epochSecond, nano, ZoneOffset.UTC));
      b[p++] = 'Z';
      return p;
    }

    static int time(char[] b, int p, LocalTime t) {
      return time(b, p, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    /** HH:MM:SS, then the fraction without trailing zeros when there is one. */
    private static int time(char[] b, int p, int hour, int minute, int second, int nano) {
      p = digits(b, p, hour, 2);
      b[p++] = ':';
      p = digits(b, p, minute, 2);
      b[p++] = ':';
      p = digits(b, p, second, 2);
      if (nano == 0) {
        return p;
      }
      b[p++] = '.';
      int end = digits(b, p, nano, 9);
      while (b[end - 1] == '0') {
        end--;
      }
      return end;
    }

    private static boolean fits(int year) {
      return year >= 0 && year <= 9999;
    }

    private static int ymd(char[] b, int year, int month, int day) {
      int p = digits(b, 0, year, 4);
      b[p++] = '-';
      p = digits(b, p, month, 2);
      b[p++] = '-';
      return digits(b, p, day, 2);
    }

    private static int digits(char[] b, int p, int value, int width) {
      for (int k = p + width - 1; k >= p; k--) {
        b[k] = (char) ('0' + value % 10);
        value /= 10;
      }
      return p + width;
    }

    /** Appends text at p (the fallbacks; none is longer than MAX_LENGTH). */
    private static int copy(char[] b, int p, String text) {
      text.getChars(0, text.length(), b, p);
      return p + text.length();
    }
  }

  /** The generator's target: a Writer over a StringBuilder that is emptied after every row. */
  private static final class TextBuffer extends Writer {
    private final StringBuilder text = new StringBuilder(512);

    @Override
    public void write(char[] chars, int off, int len) {
      text.append(chars, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
      text.append(s, off, off + len);
    }

    @Override
    public void write(int c) {
      text.append((char) c);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String take() {
      String s = text.toString();
      text.setLength(0);
      return s;
    }

    void clear() {
      text.setLength(0);
    }
  }
}
