package io.rowstream.cli;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;

/** Checks of numeric command-line arguments, as usage errors (exit 2) naming what is valid. */
final class Limits {
  private Limits() {}

  static void atLeastOne(String option, long value) {
    if (value < 1) {
      throw RowstreamException.user(
          ErrorCode.USAGE_ERROR, option + " must be 1 or more, not " + value);
    }
  }
}
