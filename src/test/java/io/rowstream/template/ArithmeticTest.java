package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The math filters' arithmetic, with Ruby's rules and the digit limit. */
class ArithmeticTest {

  @Test
  void integersGrowInsteadOfOverflowing() {
    assertThat(Arithmetic.plus(Long.MAX_VALUE, 1L))
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
    assertThat(Arithmetic.times(1L << 40, 1L << 40)).isEqualTo(BigInteger.TWO.pow(80));
    assertThat(Arithmetic.abs(Long.MIN_VALUE)).isEqualTo(BigInteger.TWO.pow(63));
    assertThat(Arithmetic.minus(BigInteger.TWO.pow(64), BigInteger.TWO.pow(64))).isEqualTo(0L);
  }

  @Test
  void floatsComputeThroughDecimalsAndExactDecimalsStayExact() {
    assertThat(Arithmetic.minus(10.1, 2.2)).isEqualTo(7.9);
    assertThat(Arithmetic.plus(0.1, 0.2)).isEqualTo(0.3);
    assertThat(Arithmetic.plus(new BigDecimal("0.10"), 0.2)).isEqualTo(new BigDecimal("0.30"));
  }

  @Test
  void divisionFloorsIntegersAndFollowsRubyOnZero() {
    assertThat(Arithmetic.dividedBy(7L, -2L)).isEqualTo(-4L);
    assertThat(Arithmetic.modulo(-7L, 3L)).isEqualTo(2L);
    assertThat(Arithmetic.dividedBy(1.0, 0L)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> Arithmetic.dividedBy(1L, 0L))
        .isInstanceOf(LiquidError.class)
        .hasMessage("divided_by: cannot divide 1 by zero");
    assertThatThrownBy(() -> Arithmetic.modulo(1.5, 0L))
        .isInstanceOf(LiquidError.class)
        .hasMessage("modulo: cannot divide 1.5 by zero");
  }

  @Test
  void roundingIsHalfAwayFromZeroAndKeepsTheKindOfNumber() {
    assertThat(Arithmetic.round(2.5, 0)).isEqualTo(3L);
    assertThat(Arithmetic.round(-2.5, 0)).isEqualTo(-3L);
    assertThat(Arithmetic.round(1.2345, 2)).isEqualTo(1.23);
    assertThat(Arithmetic.round(new BigDecimal("1.005"), 2)).isEqualTo(new BigDecimal("1.01"));
    assertThat(Arithmetic.round(1234L, -2)).isEqualTo(1200L);
  }

  @Test
  void aProductBeyondTheDigitLimitIsAnErrorNotAHugeNumber() {
    BigInteger big = BigInteger.TEN.pow(6000);
    assertThatThrownBy(() -> Arithmetic.times(big, big))
        .isInstanceOf(LiquidError.class)
        .hasMessage("times: the product would have more than 10000 digits (the number limit)");
  }
}
