package io.rowstream.template;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Ruby's strftime for the {@code date} filter, written out rather than mapped onto
 * DateTimeFormatter: Ruby's flags, widths and directives (%-d, %^B, %::z, %s) have no exact
 * counterpart there, and output must match Ruby Liquid's.
 */
final class Strftime {
  private Strftime() {}

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
          text = Dates.MONTHS[t.getMonthValue() - 1];
          break;
        case 'b':
        case 'h':
          text = Dates.MONTHS[t.getMonthValue() - 1].substring(0, 3);
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
          text = Dates.DAYS[t.getDayOfWeek().getValue() - 1];
          break;
        case 'a':
          text = Dates.DAYS[t.getDayOfWeek().getValue() - 1].substring(0, 3);
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
