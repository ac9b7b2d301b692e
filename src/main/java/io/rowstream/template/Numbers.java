package io.rowstream.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Liquid (Ruby) arithmetic. Integers stay integers (growing to BigInteger rather than overflowing);
 * float literals behave like Ruby floats (computed through decimal strings so {@code 10.1 | minus:
 * 2.2} is 7.9); a BigDecimal from the data keeps exact decimal arithmetic.
 */
final class Numbers {
  private Numbers() {}

  private static final int LONG = 0;
  private static final int BIG_INTEGER = 1;
  private static final int DECIMAL = 2;
  private static final int DOUBLE = 3;

  /** The most digits a number may have in arithmetic, parsing or a result (Ruby has no limit). */
  static final int MAX_DIGITS = 10_000;

  /** {@link #MAX_DIGITS} in bits: 10,000 decimal digits need 33,220 bits. */
  private static final long MAX_BITS = (long) Math.ceil(MAX_DIGITS * (Math.log(10) / Math.log(2)));

  private static LiquidError tooBig(String what) {
    return new LiquidError(
        what + " would have more than " + MAX_DIGITS + " digits (the number limit)");
  }

  private static BigInteger bounded(BigInteger b) {
    if (b.bitLength() > MAX_BITS) {
      throw tooBig("a number");
    }
    return b;
  }

  /** The digits a decimal's plain form has: integer part and fraction. */
  private static long span(BigDecimal d) {
    long intDigits = (long) d.precision() - d.scale();
    return Math.max(intDigits, 1) + Math.max(d.scale(), 0);
  }

  /** A decimal as an operand of arithmetic: at most {@link #MAX_DIGITS} digits written out. */
  private static BigDecimal operand(Number n) {
    BigDecimal d = decimal(n);
    if (span(d) > MAX_DIGITS) {
      throw tooBig("the number " + abbreviate(d.toString()));
    }
    return d;
  }

  private static BigInteger integerOperand(Number n) {
    return n instanceof BigInteger b ? bounded(b) : BigInteger.valueOf(n.longValue());
  }

  private static String abbreviate(String s) {
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

  private static int kind(Number n) {
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

  private static int resultKind(Number a, Number b) {
    int ka = kind(a);
    int kb = kind(b);
    if (ka == LONG && kb == LONG) {
      return LONG;
    }
    if (ka <= BIG_INTEGER && kb <= BIG_INTEGER) {
      return BIG_INTEGER;
    }
    // exact decimals from the data win over float literals
    if (ka == DECIMAL || kb == DECIMAL) {
      return DECIMAL;
    }
    return DOUBLE;
  }

  private static Number fromDecimal(BigDecimal d, int kind) {
    return kind == DOUBLE ? (Number) d.doubleValue() : d;
  }

  static Number plus(Number a, Number b) {
    switch (resultKind(a, b)) {
      case LONG:
        {
          long x = a.longValue();
          long y = b.longValue();
          long r = x + y;
          if (((x ^ r) & (y ^ r)) < 0) {
            return BigInteger.valueOf(x).add(BigInteger.valueOf(y));
          }
          return r;
        }
      case BIG_INTEGER:
        return normalize(integerOperand(a).add(integerOperand(b)));
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (isNonFinite(a) || isNonFinite(b))) {
            return a.doubleValue() + b.doubleValue();
          }
          BigDecimal r = operand(a).add(operand(b));
          return k == DOUBLE && r.signum() == 0
              ? a.doubleValue() + b.doubleValue()
              : fromDecimal(r, k);
        }
    }
  }

  static Number minus(Number a, Number b) {
    switch (resultKind(a, b)) {
      case LONG:
        {
          long x = a.longValue();
          long y = b.longValue();
          long r = x - y;
          if (((x ^ y) & (x ^ r)) < 0) {
            return BigInteger.valueOf(x).subtract(BigInteger.valueOf(y));
          }
          return r;
        }
      case BIG_INTEGER:
        return normalize(integerOperand(a).subtract(integerOperand(b)));
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (isNonFinite(a) || isNonFinite(b))) {
            return a.doubleValue() - b.doubleValue();
          }
          BigDecimal r = operand(a).subtract(operand(b));
          return k == DOUBLE && r.signum() == 0
              ? a.doubleValue() - b.doubleValue()
              : fromDecimal(r, k);
        }
    }
  }

  static Number times(Number a, Number b) {
    switch (resultKind(a, b)) {
      case LONG:
        {
          long x = a.longValue();
          long y = b.longValue();
          long hi = Math.multiplyHigh(x, y);
          long lo = x * y;
          if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
          }
          return BigInteger.valueOf(x).multiply(BigInteger.valueOf(y));
        }
      case BIG_INTEGER:
        {
          BigInteger x = integerOperand(a);
          BigInteger y = integerOperand(b);
          if ((long) x.bitLength() + y.bitLength() > MAX_BITS + 1) {
            throw tooBig("times: the product");
          }
          return normalize(bounded(x.multiply(y)));
        }
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (isNonFinite(a) || isNonFinite(b))) {
            return a.doubleValue() * b.doubleValue();
          }
          BigDecimal x = operand(a);
          BigDecimal y = operand(b);
          if (span(x) + span(y) > MAX_DIGITS + 1) {
            throw tooBig("times: the product");
          }
          BigDecimal r = x.multiply(y);
          return k == DOUBLE && r.signum() == 0
              ? a.doubleValue() * b.doubleValue()
              : fromDecimal(r, k);
        }
    }
  }

  static Number dividedBy(Number a, Number b) {
    int k = resultKind(a, b);
    if (k == DOUBLE && (isZero(b) || isNonFinite(a) || isNonFinite(b))) {
      // Ruby floats: 1.0 / 0 is Infinity, 0.0 / 0 is NaN, -1.0 / 0 is -Infinity
      return a.doubleValue() / b.doubleValue();
    }
    if (isZero(b)) {
      throw new LiquidError("divided_by: cannot divide " + Values.toText(a) + " by zero");
    }
    switch (k) {
      case LONG:
        {
          long x = a.longValue();
          long y = b.longValue();
          if (x == Long.MIN_VALUE && y == -1) {
            return BigInteger.valueOf(x).negate();
          }
          return Math.floorDiv(x, y);
        }
      case BIG_INTEGER:
        {
          BigInteger[] qr = integerOperand(a).divideAndRemainder(integerOperand(b));
          BigInteger q = qr[0];
          if (qr[1].signum() != 0 && qr[1].signum() != bigInteger(b).signum()) {
            q = q.subtract(BigInteger.ONE);
          }
          return normalize(q);
        }
      case DOUBLE:
        return operand(a).divide(operand(b), MathContext.DECIMAL128).doubleValue();
      default:
        return operand(a).divide(operand(b), MathContext.DECIMAL128);
    }
  }

  static Number modulo(Number a, Number b) {
    int k = resultKind(a, b);
    if (k == DOUBLE && !isZero(b) && (isNonFinite(a) || isNonFinite(b))) {
      return rubyModulo(a.doubleValue(), b.doubleValue());
    }
    if (isZero(b)) {
      throw new LiquidError("modulo: cannot divide " + Values.toText(a) + " by zero");
    }
    switch (k) {
      case LONG:
        return Math.floorMod(a.longValue(), b.longValue());
      case BIG_INTEGER:
        {
          BigInteger m = integerOperand(b);
          BigInteger r = integerOperand(a).remainder(m);
          if (r.signum() != 0 && r.signum() != m.signum()) {
            r = r.add(m);
          }
          return normalize(r);
        }
      default:
        {
          BigDecimal m = operand(b);
          BigDecimal r = operand(a).remainder(m);
          if (r.signum() != 0 && r.signum() != m.signum()) {
            r = r.add(m);
          }
          return fromDecimal(r, k);
        }
    }
  }

  /** Ruby's Float#% with a non-finite operand: NaN for an infinite dividend. */
  private static double rubyModulo(double x, double y) {
    if (Double.isInfinite(x) || Double.isNaN(x) || Double.isNaN(y)) {
      return Double.NaN;
    }
    if (Double.isInfinite(y)) {
      return x == 0 || (x > 0) == (y > 0) ? x : y;
    }
    double r = x % y;
    return r != 0 && (r < 0) != (y < 0) ? r + y : r;
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

  static Number abs(Number n) {
    switch (kind(n)) {
      case LONG:
        {
          long v = n.longValue();
          return v == Long.MIN_VALUE ? BigInteger.valueOf(v).negate() : Math.abs(v);
        }
      case BIG_INTEGER:
        return ((BigInteger) n).abs();
      case DECIMAL:
        return ((BigDecimal) n).abs();
      default:
        return Math.abs(n.doubleValue());
    }
  }

  static Number round(Number n, RoundingMode mode) {
    if (isInteger(n)) {
      return n instanceof BigInteger ? n : (Number) n.longValue();
    }
    return normalize(operand(n).setScale(0, mode).toBigIntegerExact());
  }

  /** Ruby's round(digits): half away from zero; digits <= 0 gives an integer. */
  static Number round(Number n, long digits) {
    if (digits <= 0) {
      if (isInteger(n) && digits == 0) {
        return n instanceof BigInteger ? n : (Number) n.longValue();
      }
      if (digits < -400) {
        return 0L;
      }
      BigDecimal r = operand(n).setScale((int) digits, RoundingMode.HALF_UP);
      return normalize(r.toBigInteger());
    }
    if (isInteger(n)) {
      return n;
    }
    int scale = (int) Math.min(digits, 400);
    BigDecimal r = operand(n).setScale(scale, RoundingMode.HALF_UP);
    return kind(n) == DECIMAL ? r : (Number) r.doubleValue();
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

  private static boolean isNonFinite(Number n) {
    if (kind(n) != DOUBLE) {
      return false;
    }
    double d = n.doubleValue();
    return Double.isNaN(d) || Double.isInfinite(d);
  }

  /** Liquid's text for a number: integers as digits, decimals exact, floats as Ruby prints them. */
  static void append(Number n, StringBuilder out) {
    switch (kind(n)) {
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
    switch (kind(n)) {
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
