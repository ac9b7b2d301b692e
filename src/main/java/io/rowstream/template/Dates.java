package io.rowstream.template;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;

/**
 * The {@code date} filter: reads ISO-8601 timestamps and dates (what rows hold), unix seconds,
 * {@code "now"}/{@code "today"} and common English dates ("March 14, 2016"); writes with Ruby's
 * strftime. A time without a zone is read as UTC, so output never depends on the machine. Text is
 * read by {@link DateReader}, written by {@link Strftime}.
 */
final class Dates {
  private Dates() {}

  // English names, both for reading ("March 14, 2016") and for strftime's %B/%b and %A/%a
  static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  static final String[] DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  static Object filter(Object input, Object format, RenderContext ctx) {
    if (format == null || input == null) {
      return input;
    }
    String fmt = Values.toText(format);
    if (fmt.isEmpty() || input instanceof String s && s.isEmpty()) {
      return input;
    }
    ZonedDateTime t = parse(input, ctx);
    if (t == null) {
      return input;
    }
    return Strftime.strftime(t, fmt);
  }

  static ZonedDateTime parse(Object input, RenderContext ctx) {
    if (input instanceof Number n) {
      if (Numbers.isInteger(n)) {
        return Instant.ofEpochSecond(Numbers.toLong(n)).atZone(ZoneOffset.UTC);
      }
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) > 1e15) {
        return null;
      }
      long seconds = (long) Math.floor(d);
      return Instant.ofEpochSecond(seconds, (long) ((d - seconds) * 1e9)).atZone(ZoneOffset.UTC);
    }
    if (input instanceof TemporalAccessor ta) {
      return fromTemporal(ta);
    }
    if (!(input instanceof String s)) {
      return null;
    }
    String t = s.strip();
    if (t.equalsIgnoreCase("now") || t.equalsIgnoreCase("today")) {
      return ctx.clock().instant().atZone(ZoneOffset.UTC);
    }
    if (!t.isEmpty() && t.length() <= 18 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Instant.ofEpochSecond(Long.parseLong(t)).atZone(ZoneOffset.UTC);
    }
    ZonedDateTime iso = DateReader.iso(t);
    return iso != null ? iso : DateReader.words(t);
  }

  private static ZonedDateTime fromTemporal(TemporalAccessor ta) {
    if (ta instanceof ZonedDateTime z) {
      return z;
    }
    if (ta instanceof OffsetDateTime o) {
      return o.toZonedDateTime();
    }
    if (ta instanceof Instant i) {
      return i.atZone(ZoneOffset.UTC);
    }
    if (ta instanceof LocalDateTime l) {
      return l.atZone(ZoneOffset.UTC);
    }
    if (ta instanceof LocalDate d) {
      return d.atStartOfDay(ZoneOffset.UTC);
    }
    return null;
  }
}
