package io.rowstream.source;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.GregorianCalendar;

/**
 * ISO-8601 text written into a char buffer, without DateTimeFormatter for years 0000-9999. Each
 * method returns the text's length.
 */
final class IsoText {
  static final int MAX_LENGTH = 64;
  private static final long FIRST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long LAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private IsoText() {}

  /** Any date/time value the drivers hand out, nested values included. */
  static int any(char[] b, Object v) {
    if (v instanceof LocalDate d) return date(b, d);
    if (v instanceof LocalDateTime t) return dateTime(b, t);
    if (v instanceof OffsetDateTime t) return instant(b, t);
    // DuckDB gives zone-less timestamps inside lists and structs as Timestamp
    if (v instanceof Timestamp t) return dateTime(b, wallTime(t));
    if (v instanceof java.sql.Date d) return date(b, wallTime(d).toLocalDate());
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

  /**
   * A value DuckDB handed out, where the extremes of each storage unit stand for its infinities
   * (days and microseconds; milliseconds and nanoseconds for TIMESTAMP_MS and TIMESTAMP_NS).
   */
  static int duck(char[] b, Object v) {
    if (v instanceof LocalDate d) {
      long day = d.toEpochDay();
      return day == Integer.MAX_VALUE
          ? copy(b, 0, "infinity")
          : day == -Integer.MAX_VALUE ? copy(b, 0, "-infinity") : date(b, d);
    }
    if (v instanceof Timestamp t) {
      return duck(b, wallTime(t));
    }
    if (v instanceof LocalDateTime t) {
      for (int k = 0; k < DUCK_INFINITIES.length; k++) {
        if (t.equals(DUCK_INFINITIES[k])) return copy(b, 0, k % 2 == 0 ? "infinity" : "-infinity");
      }
      return dateTime(b, t);
    }
    if (v instanceof OffsetDateTime t) {
      long micros = t.toEpochSecond() * 1_000_000L + t.getNano() / 1000;
      return Math.abs(micros) == Long.MAX_VALUE ? epochMicros(b, micros) : instant(b, t);
    }
    if (v instanceof DuckMicros m) {
      if (m.instant() || Math.abs(m.micros()) == Long.MAX_VALUE) return epochMicros(b, m.micros());
      return dateTime(
          b,
          LocalDateTime.ofEpochSecond(
              Math.floorDiv(m.micros(), 1_000_000L),
              (int) Math.floorMod(m.micros(), 1_000_000L) * 1000,
              ZoneOffset.UTC));
    }
    return any(b, v);
  }

  /** DuckDB's infinity and -infinity of TIMESTAMP, TIMESTAMP_MS and TIMESTAMP_NS, in pairs. */
  private static final LocalDateTime[] DUCK_INFINITIES = {
    utc(Long.MAX_VALUE, 1_000_000L), utc(-Long.MAX_VALUE, 1_000_000L),
    utc(Long.MAX_VALUE, 1_000L), utc(-Long.MAX_VALUE, 1_000L),
    utc(Long.MAX_VALUE, 1_000_000_000L), utc(-Long.MAX_VALUE, 1_000_000_000L),
  };

  private static LocalDateTime utc(long count, long perSecond) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(count, perSecond),
        (int) (Math.floorMod(count, perSecond) * (1_000_000_000L / perSecond)),
        ZoneOffset.UTC);
  }

  /**
   * The wall time a driver built a java.sql value from (Timestamp.valueOf reads the fields in the
   * JVM zone's hybrid Julian/Gregorian calendar): the same fields read back, era included, which
   * Timestamp.toLocalDateTime drops.
   */
  static LocalDateTime wallTime(java.util.Date d) {
    Calendar cal = new GregorianCalendar();
    cal.setTime(d);
    int year =
        cal.get(Calendar.ERA) == GregorianCalendar.BC
            ? 1 - cal.get(Calendar.YEAR)
            : cal.get(Calendar.YEAR);
    int nano = d instanceof Timestamp t ? t.getNanos() : cal.get(Calendar.MILLISECOND) * 1_000_000;
    return LocalDateTime.of(
        year,
        cal.get(Calendar.MONTH) + 1,
        cal.get(Calendar.DAY_OF_MONTH),
        cal.get(Calendar.HOUR_OF_DAY),
        cal.get(Calendar.MINUTE),
        cal.get(Calendar.SECOND),
        nano);
  }

  static int date(char[] b, LocalDate d) {
    if (!fits(d.getYear())) {
      // pgjdbc stands for 'infinity' and '-infinity' with LocalDate.MAX and MIN
      return copy(
          b,
          0,
          d.equals(LocalDate.MAX)
              ? "infinity"
              : d.equals(LocalDate.MIN) ? "-infinity" : DateTimeFormatter.ISO_LOCAL_DATE.format(d));
    }
    return ymd(b, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  static int dateTime(char[] b, LocalDateTime t) {
    if (!fits(t.getYear())) {
      return copy(
          b,
          0,
          t.equals(LocalDateTime.MAX)
              ? "infinity"
              : t.equals(LocalDateTime.MIN)
                  ? "-infinity"
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
    return instant(
        b, Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000);
  }

  static int instant(char[] b, long epochSecond, int nano) {
    if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
      return copy(
          b, 0, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond, nano)));
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
