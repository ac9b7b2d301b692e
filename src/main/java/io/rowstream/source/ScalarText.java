package io.rowstream.source;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/** The text form of a scalar value: primary keys and map keys. */
final class ScalarText {
  static final Base64.Encoder BASE64 = Base64.getEncoder();

  private ScalarText() {}

  /** Decimals plain, dates ISO, bytes base64, the rest by toString; null for null. */
  static String of(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof String s) {
      return s;
    } else if (v instanceof BigDecimal d) {
      return d.toPlainString();
    } else if (isTemporal(v)) {
      char[] chars = new char[IsoText.MAX_LENGTH];
      return new String(chars, 0, IsoText.any(chars, v));
    } else if (v instanceof byte[] b) {
      return BASE64.encodeToString(b);
    }
    return v.toString();
  }

  /** Whether {@link #of} gives the value's own text rather than an unknown class's toString. */
  static boolean isKnown(Object v) {
    return v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof UUID
        || isTemporal(v)
        || v instanceof byte[];
  }

  /** The date and time values that {@link IsoText#any} writes as a date or a timestamp. */
  static boolean isTemporal(Object v) {
    return v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof OffsetDateTime
        || v instanceof java.util.Date;
  }
}
