package io.rowstream.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * What a Liquid (Ruby) number is: its kind (integer, big integer, exact decimal from the data,
 * float literal), reading numbers from text, comparing them, and the digit limit. The arithmetic on
 * them is {@link Arithmetic}, their text {@link NumberText}.
 */
final class Numbers {
  private Numbers() {}

  // The kinds of number, in the order a result widens to (see Arithmetic's resultKind).
  static final int LONG = 0;
  static final int BIG_INTEGER = 1;
  static final int DECIMAL = 2;
  static final int DOUBLE = 3;

  /** The most digits a number may have in arithmetic, parsing or a result (Ruby has no limit). */
  static final int MAX_DIGITS = 10_000;

  static LiquidError tooBig(String what) {
    return new LiquidError(
        what + " would have more than " + MAX_DIGITS + " digits (the number limit)");
  }

  static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }

  /** Ruby Liquid's to_number: numbers as they are, numeric strings parsed, anything else 0. */
  static Number toNumber(Object v) {
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof String s) {
      return parse(s);
    }
    return 0L;
  }

  static Number parse(String s) {
    int n = s.length();
    int start = 0;
    while (start < n && Values.isSpace(s.charAt(start))) {
      start++;
    }
    int end = n;
    while (end > start && Values.isSpace(s.charAt(end - 1))) {
      end--;
    }
    int i = start;
    if (i < end && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      i++;
    }
    int digitsStart = i;
    while (i < end && isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digitsStart) {
      return 0L;
    }
    if (i < end - 1 && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
      int j = i + 1;
      while (j < end && isDigit(s.charAt(j))) {
        j++;
      }
      if (j == end) {
        if (j - start > MAX_DIGITS) {
          throw tooBig("the number " + abbreviate(s.substring(start, end)));
        }
        return Double.parseDouble(s.substring(start, end));
      }
    }
    // like Ruby's to_i: the leading integer
    return integer(s.substring(start, i));
  }

  static Number integer(String digits) {
    if (digits.length() <= 18) {
      return Long.parseLong(digits);
    }
    if (digits.length() > MAX_DIGITS + 1) {
      throw tooBig("the number " + abbreviate(digits));
    }
    return normalize(new BigInteger(digits));
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static int kind(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return LONG;
    }
    if (n instanceof BigInteger) {
      return BIG_INTEGER;
    }
    if (n instanceof BigDecimal) {
      return DECIMAL;
    }
    return DOUBLE;
  }

  static boolean isInteger(Number n) {
    int k = kind(n);
    return k == LONG || k == BIG_INTEGER;
  }

  static Number normalize(BigInteger b) {
    return b.bitLength() < 64 ? (Number) b.longValue() : b;
  }

  static BigInteger bigInteger(Number n) {
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (kind(n) == LONG) {
      return BigDecimal.valueOf(n.longValue());
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new LiquidError("cannot compute with " + d);
    }
    return new BigDecimal(Double.toString(d));
  }

  static boolean isZero(Number n) {
    switch (kind(n)) {
      case LONG:
        return n.longValue() == 0;
      case BIG_INTEGER:
        return ((BigInteger) n).signum() == 0;
      case DECIMAL:
        return ((BigDecimal) n).signum() == 0;
      default:
        return n.doubleValue() == 0;
    }
  }

  /** Compares two numbers by value, whatever their types. */
  static int compare(Number a, Number b) {
    int ka = kind(a);
    int kb = kind(b);
    if (ka == LONG && kb == LONG) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (ka == DOUBLE && kb == DOUBLE) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    if (isNonFinite(a) || isNonFinite(b)) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  static boolean isNonFinite(Number n) {
    if (kind(n) != DOUBLE) {
      return false;
    }
    double d = n.doubleValue();
    return Double.isNaN(d) || Double.isInfinite(d);
  }

  /** Ruby's to_i for ranges and counts: numbers truncated, numeric strings parsed, else 0. */
  static long toLong(Object v) {
    Number n = toNumber(v);
    if (n instanceof BigInteger b) {
      return b.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (n instanceof BigDecimal d) {
      if ((long) d.precision() - d.scale() > 19) {
        return d.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      return d.setScale(0, RoundingMode.DOWN).longValue();
    }
    return n.longValue();
  }

  /**
   * Liquid's strict to_integer (loop limit and offset, slice): integers, integral strings; anything
   * else is an error.
   */
  static long toIntegerStrict(Object v, String what) {
    if (v instanceof Number n && isInteger(n)) {
      return toLong(n);
    }
    if (v instanceof String s) {
      String t = s.strip();
      int i = (t.startsWith("-") || t.startsWith("+")) ? 1 : 0;
      if (i < t.length()) {
        boolean digits = true;
        for (int j = i; j < t.length(); j++) {
          digits &= isDigit(t.charAt(j));
        }
        if (digits && t.length() - i <= 18) {
          return Long.parseLong(t);
        }
      }
    }
    throw new LiquidError(what + " must be an integer, not " + Values.describe(v));
  }
}
