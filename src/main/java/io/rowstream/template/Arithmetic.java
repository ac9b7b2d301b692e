package io.rowstream.template;

import static io.rowstream.template.Numbers.BIG_INTEGER;
import static io.rowstream.template.Numbers.DECIMAL;
import static io.rowstream.template.Numbers.DOUBLE;
import static io.rowstream.template.Numbers.LONG;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The math filters' arithmetic (plus, minus, times, divided_by, modulo, abs, round) with Ruby's
 * rules: integers grow to BigInteger instead of overflowing, floats go through decimal strings, and
 * every operand and result is bounded by {@link Numbers#MAX_DIGITS} so a template cannot make the
 * render build a number of a million digits.
 */
final class Arithmetic {
  private Arithmetic() {}

  /** {@link Numbers#Numbers.MAX_DIGITS} in bits: 10,000 decimal digits need 33,220 bits. */
  private static final long MAX_BITS =
      (long) Math.ceil(Numbers.MAX_DIGITS * (Math.log(10) / Math.log(2)));

  private static BigInteger bounded(BigInteger b) {
    if (b.bitLength() > MAX_BITS) {
      throw Numbers.tooBig("a number");
    }
    return b;
  }

  /** The digits a decimal's plain form has: integer part and fraction. */
  private static long span(BigDecimal d) {
    long intDigits = (long) d.precision() - d.scale();
    return Math.max(intDigits, 1) + Math.max(d.scale(), 0);
  }

  /**
   * A decimal as an operand of arithmetic: at most {@link Numbers#Numbers.MAX_DIGITS} digits
   * written out.
   */
  private static BigDecimal operand(Number n) {
    BigDecimal d = Numbers.decimal(n);
    if (span(d) > Numbers.MAX_DIGITS) {
      throw Numbers.tooBig("the number " + Numbers.abbreviate(d.toString()));
    }
    return d;
  }

  private static BigInteger integerOperand(Number n) {
    return n instanceof BigInteger b ? bounded(b) : BigInteger.valueOf(n.longValue());
  }

  private static int resultKind(Number a, Number b) {
    int ka = Numbers.kind(a);
    int kb = Numbers.kind(b);
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
        return Numbers.normalize(integerOperand(a).add(integerOperand(b)));
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (Numbers.isNonFinite(a) || Numbers.isNonFinite(b))) {
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
        return Numbers.normalize(integerOperand(a).subtract(integerOperand(b)));
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (Numbers.isNonFinite(a) || Numbers.isNonFinite(b))) {
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
            throw Numbers.tooBig("times: the product");
          }
          return Numbers.normalize(bounded(x.multiply(y)));
        }
      default:
        {
          int k = resultKind(a, b);
          if (k == DOUBLE && (Numbers.isNonFinite(a) || Numbers.isNonFinite(b))) {
            return a.doubleValue() * b.doubleValue();
          }
          BigDecimal x = operand(a);
          BigDecimal y = operand(b);
          if (span(x) + span(y) > Numbers.MAX_DIGITS + 1) {
            throw Numbers.tooBig("times: the product");
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
    if (k == DOUBLE && (Numbers.isZero(b) || Numbers.isNonFinite(a) || Numbers.isNonFinite(b))) {
      // Ruby floats: 1.0 / 0 is Infinity, 0.0 / 0 is NaN, -1.0 / 0 is -Infinity
      return a.doubleValue() / b.doubleValue();
    }
    if (Numbers.isZero(b)) {
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
          if (qr[1].signum() != 0 && qr[1].signum() != Numbers.bigInteger(b).signum()) {
            q = q.subtract(BigInteger.ONE);
          }
          return Numbers.normalize(q);
        }
      case DOUBLE:
        return operand(a).divide(operand(b), MathContext.DECIMAL128).doubleValue();
      default:
        return operand(a).divide(operand(b), MathContext.DECIMAL128);
    }
  }

  static Number modulo(Number a, Number b) {
    int k = resultKind(a, b);
    if (k == DOUBLE && !Numbers.isZero(b) && (Numbers.isNonFinite(a) || Numbers.isNonFinite(b))) {
      return rubyModulo(a.doubleValue(), b.doubleValue());
    }
    if (Numbers.isZero(b)) {
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
          return Numbers.normalize(r);
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

  static Number abs(Number n) {
    switch (Numbers.kind(n)) {
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
    if (Numbers.isInteger(n)) {
      return n instanceof BigInteger ? n : (Number) n.longValue();
    }
    return Numbers.normalize(operand(n).setScale(0, mode).toBigIntegerExact());
  }

  /** Ruby's round(digits): half away from zero; digits <= 0 gives an integer. */
  static Number round(Number n, long digits) {
    if (digits <= 0) {
      if (Numbers.isInteger(n) && digits == 0) {
        return n instanceof BigInteger ? n : (Number) n.longValue();
      }
      if (digits < -400) {
        return 0L;
      }
      BigDecimal r = operand(n).setScale((int) digits, RoundingMode.HALF_UP);
      return Numbers.normalize(r.toBigInteger());
    }
    if (Numbers.isInteger(n)) {
      return n;
    }
    int scale = (int) Math.min(digits, 400);
    BigDecimal r = operand(n).setScale(scale, RoundingMode.HALF_UP);
    return Numbers.kind(n) == DECIMAL ? r : (Number) r.doubleValue();
  }
}
