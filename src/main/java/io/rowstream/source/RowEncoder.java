package io.rowstream.source;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBResultSetMetaData;

/**
 * Turns the rows of one result set into JSON objects whose values keep their SQL meaning (SPEC
 * §4.7) and the README's encoding rules: dates and timestamps proleptic Gregorian with astronomical
 * years and the words infinity/-infinity, NaN and infinities as strings, -0.0 kept, lone surrogates
 * as escapes (the renderer rejects them), json text copied with its repeated keys (the renderer
 * rejects them). A {@link ColumnKind} is chosen per column once, from the metadata; one {@link
 * JsonValueWriter} is reused for every row. Not thread-safe: one instance per result set.
 */
final class RowEncoder {

  private final List<String> names;
  private final SerializedString[] fieldNames;
  private final ColumnKind[] kinds;
  private final int keyColumn;
  private final boolean duckDb;
  private final JsonValueWriter values;
  private final char[] scratch = new char[IsoText.MAX_LENGTH];

  private RowEncoder(List<String> names, ColumnKind[] kinds, int keyColumn, boolean duckDb) {
    this.names = List.copyOf(names);
    this.kinds = kinds;
    this.keyColumn = keyColumn;
    this.duckDb = duckDb;
    this.fieldNames = new SerializedString[names.size()];
    for (int c = 0; c < fieldNames.length; c++) {
      fieldNames[c] = new SerializedString(names.get(c));
    }
    this.values = new JsonValueWriter(duckDb);
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
    ColumnKind[] kinds = new ColumnKind[count];
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
          ColumnKind.of(
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
      JsonGenerator gen = values.generator();
      gen.writeStartObject();
      for (int c = 0; c < kinds.length; c++) {
        gen.writeFieldName(fieldNames[c]);
        try {
          writeColumn(rs, c, gen);
        } catch (DateTimeException e) {
          throw unreadable(c, e);
        }
      }
      gen.writeEndObject();
      String row = values.take();
      written = true;
      return row;
    } catch (IOException e) {
      throw new SQLException("could not encode the row as JSON: " + e.getMessage(), e);
    } finally {
      if (!written) {
        // the generator is somewhere inside the object: start the next row from a clean one
        values.reset();
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
        return ScalarText.of(rs.getObject(i, LocalDate.class));
      }
      case DUCK_DATE, DUCK_TIMESTAMP -> {
        Object v = kinds[keyColumn] == ColumnKind.DUCK_DATE ? rs.getObject(i) : duckMicros(rs, i);
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
        return ScalarText.of(rs.getObject(i, OffsetDateTime.class));
      }
      case EPOCH_MICROS -> {
        long micros = rs.getLong(i);
        return rs.wasNull() ? null : new String(scratch, 0, IsoText.epochMicros(scratch, micros));
      }
      case BINARY -> {
        byte[] v = rs.getBytes(i);
        return v == null ? null : ScalarText.BASE64.encodeToString(v);
      }
      default -> {
        Object v = rs.getObject(i);
        return v == null || ScalarText.isKnown(v) ? ScalarText.of(v) : rs.getString(i);
      }
    }
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

  private void writeColumn(ResultSet rs, int c, JsonGenerator gen)
      throws SQLException, IOException {
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
        else values.writeFloat(v);
      }
      case DOUBLE -> {
        double v = rs.getDouble(i);
        if (rs.wasNull()) gen.writeNull();
        else values.writeDouble(v);
      }
      case DECIMAL -> values.writeValue(rs.getObject(i));
      case BOOLEAN -> {
        boolean v = rs.getBoolean(i);
        if (rs.wasNull()) gen.writeNull();
        else gen.writeBoolean(v);
      }
      case TEXT -> values.writeText(rs.getString(i));
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
      case DUCK_DATE -> values.writeValue(rs.getObject(i));
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
        else values.writeJsonText(v, names.get(c));
      }
      case ARRAY -> values.writeArrayColumn(rs, i);
      case OBJECT -> {
        Object v = rs.getObject(i);
        if (!values.writeKnown(v)) values.writeText(rs.getString(i));
      }
    }
  }

  private static DuckMicros duckMicros(ResultSet rs, int i) throws SQLException {
    long micros = rs.getLong(i);
    return rs.wasNull() ? null : new DuckMicros(micros, false);
  }
}
