package io.rowstream.template;

import static io.rowstream.template.Numbers.BIG_INTEGER;
import static io.rowstream.template.Numbers.DECIMAL;
import static io.rowstream.template.Numbers.LONG;

import java.math.BigDecimal;

/**
 * How Liquid prints a number: as Ruby does, so output matches Ruby Liquid's (floats such as {@code
 * 1.0e+20}, decimals without an exponent).
 */
final class NumberText {
  private NumberText() {}

  /** Liquid's text for a number: integers as digits, decimals exact, floats as Ruby prints them. */
  static void append(Number n, StringBuilder out) {
    switch (Numbers.kind(n)) {
      case LONG:
        out.append(n.longValue());
        return;
      case BIG_INTEGER:
        out.append(n);
        return;
      case DECIMAL:
        out.append(plain((BigDecimal) n));
        return;
      default:
        out.append(rubyFloat(n.doubleValue()));
    }
  }

  static String toText(Number n) {
    switch (Numbers.kind(n)) {
      case LONG:
        return Long.toString(n.longValue());
      case BIG_INTEGER:
        return n.toString();
      case DECIMAL:
        return plain((BigDecimal) n);
      default:
        return rubyFloat(n.doubleValue());
    }
  }

  /**
   * Plain digits, no exponent; a scale so large that the digits would explode keeps the exponent.
   */
  static String plain(BigDecimal d) {
    int scale = d.scale();
    if (scale > 10_000 || scale < -10_000) {
      return d.toString();
    }
    return d.toPlainString();
  }

  static String rubyFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    double a = Math.abs(d);
    // Ruby: a whole float below 1e15 prints fixed ("100000000000000.0"), from 1e15 with an exponent
    if (d == Math.rint(d) && a < 1e15) {
      if (d == 0) {
        return (1 / d < 0) ? "-0.0" : "0.0";
      }
      return (long) d + ".0";
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    if (a >= 1e-4 && (a < 1e15 || d != Math.rint(d))) {
      String p = new BigDecimal(s).stripTrailingZeros().toPlainString();
      return p.indexOf('.') < 0 ? p + ".0" : p;
    }
    String mantissa = s.substring(0, e);
    int exp = Integer.parseInt(s.substring(e + 1));
    StringBuilder out = new StringBuilder(mantissa).append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      out.append('0');
    }
    return out.append(ae).toString();
  }
}
