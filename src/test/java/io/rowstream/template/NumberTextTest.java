package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Numbers printed as Ruby Liquid prints them. */
class NumberTextTest {

  @Test
  void floatsPrintAsRubyPrintsThem() {
    assertThat(NumberText.toText(100.0)).isEqualTo("100.0");
    assertThat(NumberText.toText(-0.0)).isEqualTo("-0.0");
    assertThat(NumberText.toText(0.0001)).isEqualTo("0.0001");
    assertThat(NumberText.toText(0.00001)).isEqualTo("1.0e-05");
    assertThat(NumberText.toText(1e15)).isEqualTo("1.0e+15");
    assertThat(NumberText.toText(1e20)).isEqualTo("1.0e+20");
    assertThat(NumberText.toText(Double.NaN)).isEqualTo("NaN");
    assertThat(NumberText.toText(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void integersAndDecimalsPrintTheirDigitsWithoutAnExponent() {
    assertThat(NumberText.toText(42L)).isEqualTo("42");
    assertThat(NumberText.toText(BigInteger.TWO.pow(70))).isEqualTo("1180591620717411303424");
    assertThat(NumberText.toText(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(NumberText.toText(new BigDecimal("1.50"))).isEqualTo("1.50");
    assertThat(NumberText.plain(new BigDecimal("1E+20000"))).isEqualTo("1E+20000");
  }

  @Test
  void appendWritesTheSameTextAsToText() {
    StringBuilder out = new StringBuilder();
    NumberText.append(2.5, out);
    NumberText.append(7, out);
    NumberText.append(new BigDecimal("0.10"), out);
    assertThat(out).hasToString("2.570.10");
  }
}
