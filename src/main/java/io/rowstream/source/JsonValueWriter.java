package io.rowstream.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.rowstream.core.Surrogates;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBStruct;
import org.duckdb.JsonNode;

/**
 * Writes JDBC values as JSON into one reused generator and buffer: values by their class, arrays,
 * structs and maps, json text copied as nested JSON, with the README's encoding rules (NaN and
 * infinities as strings, dates proleptic Gregorian, lone surrogates as escapes). Not thread-safe.
 */
final class JsonValueWriter {

  private static final JsonFactory JSON =
      new JsonFactoryBuilder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
          .rootValueSeparator((String) null)
          .build();

  private final boolean duckDb;
  private final TextBuffer out = new TextBuffer();
  private final char[] scratch = new char[IsoText.MAX_LENGTH];
  private JsonGenerator gen;

  /** DuckDB writes dates and timestamps in its own forms (IsoText#duck). */
  JsonValueWriter(boolean duckDb) {
    this.duckDb = duckDb;
    reset();
  }

  /** The generator to write a row with; a new one after {@link #reset}. */
  JsonGenerator generator() {
    return gen;
  }

  /** Drops what was written and starts from a clean generator (after a failure mid-value). */
  void reset() {
    out.clear();
    try {
      gen = JSON.createGenerator(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen: the buffer is in memory", e);
    }
  }

  /** The text written since the last take, and an empty buffer. */
  String take() throws IOException {
    gen.flush();
    return out.take();
  }

  /** An array column: temporal and numeric elements one by one, the rest by the driver's array. */
  void writeArrayColumn(ResultSet rs, int i) throws SQLException, IOException {
    Array array = rs.getArray(i);
    if (array == null) {
      gen.writeNull();
      return;
    }
    try {
      if (writeTemporalArray(array, ColumnKind.lower(array.getBaseTypeName()))) {
        return;
      }
      Object elements;
      try {
        elements = array.getArray();
      } catch (SQLException e) {
        // pgjdbc cannot decode some element types (money[]): keep the database's text
        writeText(rs.getString(i));
        return;
      }
      writeElements(array.getBaseTypeName(), elements);
    } finally {
      array.free();
    }
  }

  private void writeArray(Array array) throws SQLException, IOException {
    try {
      if (writeTemporalArray(array, ColumnKind.lower(array.getBaseTypeName()))) {
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
    String base = ColumnKind.lower(baseTypeName);
    if (elements instanceof Object[] values) {
      writeElements(values, ColumnKind.isJsonType(base), ColumnKind.isZonedType(base));
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
        writeJsonText(text, null);
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

  /** Writes a value by its class, or its toString as a string when the class is unknown. */
  void writeValue(Object v) throws SQLException, IOException {
    if (!writeKnown(v)) {
      writeText(v.toString());
    }
  }

  /**
   * Writes a JSON string. A lone surrogate is written as its escape ({@code \ud800}) so that the
   * row's text survives UTF-8 and the renderer rejects the row as invalid_text naming the column.
   */
  void writeText(String s) throws IOException {
    if (s == null) {
      gen.writeNull();
    } else if (Surrogates.findLone(s) < 0) {
      gen.writeString(s);
    } else {
      gen.writeRawValue("\"" + new String(JsonQuoting.keepingLoneSurrogates(s)) + "\"");
    }
  }

  private void writeName(String name) throws IOException {
    if (Surrogates.findLone(name) < 0) {
      gen.writeFieldName(name);
    } else {
      gen.writeFieldName(new EscapedName(name, JsonQuoting.keepingLoneSurrogates(name)));
    }
  }

  /** Writes a value by its class; false, having written nothing, when the class is unknown. */
  boolean writeKnown(Object v) throws SQLException, IOException {
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
      writeJsonText(j.toString(), null);
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
          duckDb && ScalarText.isTemporal(key)
              ? new String(scratch, 0, IsoText.duck(scratch, key))
              : String.valueOf(ScalarText.of(key)));
      writeValue(e.getValue());
    }
    gen.writeEndObject();
  }

  void writeFloat(float v) throws IOException {
    if (Float.isFinite(v)) gen.writeNumber(v);
    else gen.writeString(Float.toString(v)); // NaN, Infinity, -Infinity
  }

  void writeDouble(double v) throws IOException {
    if (Double.isFinite(v)) gen.writeNumber(v);
    else gen.writeString(Double.toString(v));
  }

  /**
   * Copies JSON text into the row as nested JSON. Numbers keep their text: Jackson's own copy would
   * turn 2.50 into the double 2.5. The column names the value in errors; null for an element.
   */
  void writeJsonText(String text, String column) throws SQLException, IOException {
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

  private static String where(String column) {
    return column == null ? "a JSON element" : "column '" + column + "'";
  }
}
