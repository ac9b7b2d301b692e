package io.rowstream.template;

import static io.rowstream.template.Filters.arg;

import java.math.RoundingMode;

/** The number filters: arithmetic, rounding, bounds (the arithmetic itself is in Numbers). */
final class NumberFilters {
  private NumberFilters() {}

  static void register(Filters.Registrar r) {
    r.add(
        "plus",
        1,
        1,
        (in, a, k, c) -> Arithmetic.plus(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    r.add(
        "minus",
        1,
        1,
        (in, a, k, c) -> Arithmetic.minus(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    r.add(
        "times",
        1,
        1,
        (in, a, k, c) -> Arithmetic.times(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    r.add(
        "divided_by",
        1,
        1,
        (in, a, k, c) -> Arithmetic.dividedBy(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    r.add(
        "modulo",
        1,
        1,
        (in, a, k, c) -> Arithmetic.modulo(Numbers.toNumber(in), Numbers.toNumber(a[0])));
    r.add("abs", 0, 0, (in, a, k, c) -> Arithmetic.abs(Numbers.toNumber(in)));
    r.add(
        "ceil",
        0,
        0,
        (in, a, k, c) -> Arithmetic.round(Numbers.toNumber(in), RoundingMode.CEILING));
    r.add(
        "floor", 0, 0, (in, a, k, c) -> Arithmetic.round(Numbers.toNumber(in), RoundingMode.FLOOR));
    r.add(
        "round",
        0,
        1,
        (in, a, k, c) -> Arithmetic.round(Numbers.toNumber(in), Numbers.toLong(arg(a, 0))));
    r.add(
        "at_least",
        1,
        1,
        (in, a, k, c) -> {
          Number x = Numbers.toNumber(in);
          Number y = Numbers.toNumber(a[0]);
          return Numbers.compare(x, y) >= 0 ? x : y;
        });
    r.add(
        "at_most",
        1,
        1,
        (in, a, k, c) -> {
          Number x = Numbers.toNumber(in);
          Number y = Numbers.toNumber(a[0]);
          return Numbers.compare(x, y) <= 0 ? x : y;
        });
  }
}
