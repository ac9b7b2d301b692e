package io.rowstream.template;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * The {@code date} filter: reads ISO-8601 timestamps and dates (what rows hold), unix seconds,
 * {@code "now"}/{@code "today"} and common English dates ("March 14, 2016"); writes with Ruby's
 * strftime. A time without a zone is read as UTC, so output never depends on the machine.
 */
final class Dates {
  private Dates() {}

  private static final String[] MONTHS = {
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
  private static final String[] DAYS = {
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
    return strftime(t, fmt);
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
    ZonedDateTime iso = iso(t);
    return iso != null ? iso : words(t);
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

  private static int digits(String s, int at, int count) {
    if (at + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** yyyy-MM-dd[(T| )HH:mm[:ss[.fraction]]][Z|±HH[:]MM|±HH| UTC], without regex or exceptions. */
  static ZonedDateTime iso(String s) {
    int n = s.length();
    int year = digits(s, 0, 4);
    if (year < 0 || n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    int nanos = 0;
    int i = 10;
    if (i < n
        && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')
        && i + 1 < n
        && Numbers.isDigit(s.charAt(i + 1))) {
      hour = digits(s, i + 1, 2);
      if (hour < 0 || i + 3 >= n || s.charAt(i + 3) != ':') {
        return null;
      }
      minute = digits(s, i + 4, 2);
      i += 6;
      if (minute < 0) {
        return null;
      }
      if (i < n && s.charAt(i) == ':') {
        second = digits(s, i + 1, 2);
        if (second < 0) {
          return null;
        }
        i += 3;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
          i++;
          int scale = 100_000_000;
          int start = i;
          while (i < n && Numbers.isDigit(s.charAt(i))) {
            nanos += (s.charAt(i) - '0') * scale;
            scale /= 10;
            i++;
          }
          if (i == start) {
            return null;
          }
        }
      }
      if (hour > 23 || minute > 59 || second > 60) {
        return null;
      }
      if (second == 60) {
        second = 59;
      }
    }
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    ZoneOffset offset = ZoneOffset.UTC;
    if (i < n) {
      char c = s.charAt(i);
      if ((c == 'Z' || c == 'z') && i + 1 == n) {
        i++;
      } else if (c == '+' || c == '-') {
        int oh = digits(s, i + 1, 2);
        int om = 0;
        int j = i + 3;
        if (j < n && s.charAt(j) == ':') {
          j++;
        }
        if (j < n) {
          om = digits(s, j, 2);
          j += 2;
        }
        if (oh < 0 || om < 0 || oh > 18 || om > 59 || j != n) {
          return null;
        }
        int total = oh * 3600 + om * 60;
        offset = ZoneOffset.ofTotalSeconds(c == '-' ? -total : total);
        i = n;
      } else if (s.regionMatches(true, i, "UTC", 0, 3) && i + 3 == n) {
        i = n;
      } else {
        return null;
      }
    }
    return ZonedDateTime.of(year, month, day, hour, minute, second, nanos, offset);
  }

  /** English dates: "March 14, 2016", "14 Mar 2016 10:30", "Tue, 14 Mar 2016 10:30:00 +0000". */
  private static ZonedDateTime words(String s) {
    int year = -1;
    int month = -1;
    int day = -1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    boolean pm = false;
    boolean am = false;
    ZoneOffset offset = ZoneOffset.UTC;
    for (String word : s.split("[\\s,]+")) {
      if (word.isEmpty()) {
        continue;
      }
      String w = word.toLowerCase(Locale.ROOT);
      if (w.endsWith(".")) {
        w = w.substring(0, w.length() - 1);
      }
      int m = monthOf(w);
      if (m > 0) {
        month = m;
      } else if (dayOf(w) >= 0 || w.equals("utc") || w.equals("gmt") || w.equals("z")) {
        continue;
      } else if (w.equals("am") || w.equals("pm")) {
        pm = w.equals("pm");
        am = !pm;
      } else if (w.indexOf(':') > 0) {
        String[] parts = w.split(":");
        try {
          hour = Integer.parseInt(parts[0]);
          minute = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
          second = parts.length > 2 ? Integer.parseInt(parts[2].replaceAll("\\..*", "")) : 0;
        } catch (NumberFormatException e) {
          return null;
        }
      } else if ((w.startsWith("+") || w.startsWith("-")) && w.length() >= 3) {
        String d = w.substring(1).replace(":", "");
        if (!d.chars().allMatch(Character::isDigit) || d.length() > 4) {
          return null;
        }
        int oh = Integer.parseInt(d.substring(0, Math.min(2, d.length())));
        int om = d.length() > 2 ? Integer.parseInt(d.substring(2)) : 0;
        int total = oh * 3600 + om * 60;
        offset = ZoneOffset.ofTotalSeconds(w.startsWith("-") ? -total : total);
      } else if (w.chars().allMatch(Character::isDigit) && !w.isEmpty()) {
        String digits = w.replaceAll("(st|nd|rd|th)$", "");
        int v = Integer.parseInt(digits.length() > 9 ? "0" : digits);
        if (w.length() == 4) {
          year = v;
        } else if (day < 0 && v >= 1 && v <= 31) {
          day = v;
        } else {
          return null;
        }
      } else if (w.matches("\\d{1,2}(st|nd|rd|th)")) {
        day = Integer.parseInt(w.substring(0, w.length() - 2));
      } else {
        return null;
      }
    }
    if (year < 0 || month < 0) {
      return null;
    }
    if (pm && hour < 12) {
      hour += 12;
    } else if (am && hour == 12) {
      hour = 0;
    }
    if (day < 0) {
      day = 1;
    }
    try {
      return ZonedDateTime.of(year, month, day, hour, minute, second, 0, offset);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static int monthOf(String w) {
    if (w.length() < 3) {
      return -1;
    }
    for (int i = 0; i < 12; i++) {
      String m = MONTHS[i].toLowerCase(Locale.ROOT);
      if (m.equals(w) || m.substring(0, 3).equals(w) || w.equals("sept") && i == 8) {
        return i + 1;
      }
    }
    return -1;
  }

  private static int dayOf(String w) {
    if (w.length() < 3) {
      return -1;
    }
    for (int i = 0; i < 7; i++) {
      String d = DAYS[i].toLowerCase(Locale.ROOT);
      if (d.equals(w) || d.substring(0, 3).equals(w)) {
        return i;
      }
    }
    return -1;
  }

  /** Ruby's strftime, with the flags - _ 0 ^ # and a width. */
  static String strftime(ZonedDateTime t, String fmt) {
    StringBuilder out = new StringBuilder(fmt.length() + 16);
    int n = fmt.length();
    for (int i = 0; i < n; i++) {
      char c = fmt.charAt(i);
      if (c != '%' || i + 1 >= n) {
        out.append(c);
        continue;
      }
      int start = i;
      i++;
      char pad = 0;
      boolean upper = false;
      boolean swap = false;
      boolean colon = false;
      while (i < n && "-_0^#:".indexOf(fmt.charAt(i)) >= 0) {
        char f = fmt.charAt(i++);
        switch (f) {
          case '-':
            pad = '-';
            break;
          case '_':
            pad = ' ';
            break;
          case '0':
            pad = '0';
            break;
          case '^':
            upper = true;
            break;
          case '#':
            swap = true;
            break;
          default:
            colon = true;
        }
      }
      int width = -1;
      while (i < n && Numbers.isDigit(fmt.charAt(i))) {
        width = Math.max(width, 0) * 10 + (fmt.charAt(i++) - '0');
        if (width > 1000) {
          width = 1000;
        }
      }
      if (i >= n) {
        out.append(fmt, start, n);
        break;
      }
      char d = fmt.charAt(i);
      String text;
      switch (d) {
        case 'Y':
          text = number(t.getYear(), pad, width, 1, '0');
          break;
        case 'C':
          text = number(Math.floorDiv(t.getYear(), 100), pad, width, 2, '0');
          break;
        case 'y':
          text = number(Math.floorMod(t.getYear(), 100), pad, width, 2, '0');
          break;
        case 'm':
          text = number(t.getMonthValue(), pad, width, 2, '0');
          break;
        case 'B':
          text = MONTHS[t.getMonthValue() - 1];
          break;
        case 'b':
        case 'h':
          text = MONTHS[t.getMonthValue() - 1].substring(0, 3);
          break;
        case 'd':
          text = number(t.getDayOfMonth(), pad, width, 2, '0');
          break;
        case 'e':
          text = number(t.getDayOfMonth(), pad, width, 2, ' ');
          break;
        case 'j':
          text = number(t.getDayOfYear(), pad, width, 3, '0');
          break;
        case 'H':
          text = number(t.getHour(), pad, width, 2, '0');
          break;
        case 'k':
          text = number(t.getHour(), pad, width, 2, ' ');
          break;
        case 'I':
          text = number(hour12(t), pad, width, 2, '0');
          break;
        case 'l':
          text = number(hour12(t), pad, width, 2, ' ');
          break;
        case 'M':
          text = number(t.getMinute(), pad, width, 2, '0');
          break;
        case 'S':
          text = number(t.getSecond(), pad, width, 2, '0');
          break;
        case 'L':
          text = fraction(t.getNano(), width < 0 ? 3 : width);
          break;
        case 'N':
          text = fraction(t.getNano(), width < 0 ? 9 : width);
          break;
        case 'z':
          text = offset(t.getOffset().getTotalSeconds(), colon);
          break;
        case 'Z':
          text =
              t.getOffset().getTotalSeconds() == 0
                  ? "UTC"
                  : offset(t.getOffset().getTotalSeconds(), true);
          break;
        case 'A':
          text = DAYS[t.getDayOfWeek().getValue() - 1];
          break;
        case 'a':
          text = DAYS[t.getDayOfWeek().getValue() - 1].substring(0, 3);
          break;
        case 'u':
          text = Integer.toString(t.getDayOfWeek().getValue());
          break;
        case 'w':
          text = Integer.toString(t.getDayOfWeek().getValue() % 7);
          break;
        case 'p':
          text = t.getHour() < 12 ? "AM" : "PM";
          break;
        case 'P':
          text = t.getHour() < 12 ? "am" : "pm";
          break;
        case 's':
          text = Long.toString(t.toEpochSecond());
          break;
        case 'F':
          text = strftime(t, "%Y-%m-%d");
          break;
        case 'T':
        case 'X':
          text = strftime(t, "%H:%M:%S");
          break;
        case 'D':
        case 'x':
          text = strftime(t, "%m/%d/%y");
          break;
        case 'R':
          text = strftime(t, "%H:%M");
          break;
        case 'r':
          text = strftime(t, "%I:%M:%S %p");
          break;
        case 'c':
          text = strftime(t, "%a %b %e %H:%M:%S %Y");
          break;
        case 'U':
          text = number(week(t, DayOfWeek.SUNDAY), pad, width, 2, '0');
          break;
        case 'W':
          text = number(week(t, DayOfWeek.MONDAY), pad, width, 2, '0');
          break;
        case 'G':
          text = number(t.get(IsoFields.WEEK_BASED_YEAR), pad, width, 1, '0');
          break;
        case 'V':
          text = number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), pad, width, 2, '0');
          break;
        case 'n':
          text = "\n";
          break;
        case 't':
          text = "\t";
          break;
        case '%':
          text = "%";
          break;
        default:
          out.append(fmt, start, i + 1);
          continue;
      }
      if (Character.isLetter(d) && "YCymdejHkIlMSjUWGV".indexOf(d) < 0 && width > text.length()) {
        text = " ".repeat(width - text.length()) + text;
      }
      if (upper) {
        text = text.toUpperCase(Locale.ROOT);
      } else if (swap) {
        text =
            text.equals(text.toUpperCase(Locale.ROOT))
                ? text.toLowerCase(Locale.ROOT)
                : text.toUpperCase(Locale.ROOT);
      }
      out.append(text);
    }
    return out.toString();
  }

  private static int hour12(ZonedDateTime t) {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  private static int week(ZonedDateTime t, DayOfWeek first) {
    int doy = t.getDayOfYear() - 1;
    int dow =
        first == DayOfWeek.SUNDAY
            ? t.getDayOfWeek().getValue() % 7
            : t.getDayOfWeek().getValue() - 1;
    return (doy + 7 - dow) / 7;
  }

  private static String number(long v, char pad, int width, int defaultWidth, char defaultPad) {
    String digits = Long.toString(Math.abs(v));
    String sign = v < 0 ? "-" : "";
    if (pad == '-') {
      return sign + digits;
    }
    char p = pad == 0 ? defaultPad : pad;
    int w = width < 0 ? defaultWidth : width;
    int fill = w - digits.length() - sign.length();
    if (fill <= 0) {
      return sign + digits;
    }
    String filler = String.valueOf(p).repeat(fill);
    return p == '0' ? sign + filler + digits : filler + sign + digits;
  }

  private static String fraction(int nanos, int digits) {
    String nine = String.format("%09d", nanos);
    if (digits <= 9) {
      return nine.substring(0, Math.max(digits, 0));
    }
    return nine + "0".repeat(digits - 9);
  }

  private static String offset(int totalSeconds, boolean colon) {
    int a = Math.abs(totalSeconds);
    String h = number(a / 3600, (char) 0, -1, 2, '0');
    String m = number(a / 60 % 60, (char) 0, -1, 2, '0');
    return (totalSeconds < 0 ? "-" : "+") + h + (colon ? ":" : "") + m;
  }
}
