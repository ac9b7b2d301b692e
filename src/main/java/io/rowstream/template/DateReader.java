package io.rowstream.template;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Reads a date from text for the {@code date} filter: ISO-8601 (what rows hold) by hand, without
 * regex or exceptions since it runs per row, then common English forms. Null when the text is not a
 * date: the filter then returns its input, as Ruby Liquid does.
 */
final class DateReader {
  private DateReader() {}

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
  static ZonedDateTime words(String s) {
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
      String m = Dates.MONTHS[i].toLowerCase(Locale.ROOT);
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
      String d = Dates.DAYS[i].toLowerCase(Locale.ROOT);
      if (d.equals(w) || d.substring(0, 3).equals(w)) {
        return i;
      }
    }
    return -1;
  }
}
