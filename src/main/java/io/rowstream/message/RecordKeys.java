package io.rowstream.message;

import io.rowstream.core.Rejection;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a record's partition key and explicit hash key by the strictest reading of the PutRecords
 * API, so that no key Kinesis would refuse ever reaches a request (where it would make Kinesis
 * refuse the whole request, and with it every other record).
 *
 * <ul>
 *   <li>A partition key is 1 to 256 <em>UTF-16 code units</em>: the API says "Unicode characters",
 *       and Kinesis and both emulators (kinesalite, kinesis-mock) count them as Java and JavaScript
 *       strings do, so a character outside the Basic Multilingual Plane (an emoji, many CJK
 *       extensions) counts as 2. 200 emoji are 400 units and are refused.
 *   <li>An explicit hash key matches {@code 0|([1-9]\d{0,38})} and is below 2^128: leading zeros,
 *       signs, spaces inside, exponents and fractions are refused, not normalized, because a
 *       normalized key would silently route the record differently from what the template says.
 * </ul>
 */
final class RecordKeys {
  /** Kinesis' limit on partition key length, in UTF-16 code units. */
  static final int MAX_PARTITION_KEY_UNITS = 256;

  static final BigInteger HASH_KEY_LIMIT = BigInteger.ONE.shiftLeft(128);
  private static final Pattern HASH_KEY = Pattern.compile("0|[1-9][0-9]{0,38}");

  private RecordKeys() {}

  /** Why Kinesis would refuse this partition key, if it would. */
  static Optional<Rendered.Invalid> checkPartitionKey(String key, boolean fromTemplate) {
    int units = key.length();
    if (units >= 1 && units <= MAX_PARTITION_KEY_UNITS) {
      return Optional.empty();
    }
    int chars = key.codePointCount(0, units);
    String size =
        units == chars
            ? units + " characters"
            : units
                + " UTF-16 code units ("
                + chars
                + " characters; "
                + "each character outside the Basic Multilingual Plane, such as an emoji, counts as 2)";
    return Optional.of(
        new Rendered.Invalid(
            Rejection.INVALID_PARTITION_KEY,
            "partition key has "
                + size
                + "; Kinesis takes 1 to "
                + MAX_PARTITION_KEY_UNITS
                + " UTF-16 code units"
                + (units == 0 && fromTemplate
                    ? " (is the column it names null for this row?)"
                    : "")));
  }

  /** Why Kinesis would refuse this explicit hash key, if it would. */
  static Optional<Rendered.Invalid> checkExplicitHashKey(String key) {
    if (validHashKey(key)) {
      return Optional.empty();
    }
    String hint =
        key.length() > 1 && key.startsWith("0") && key.chars().allMatch(c -> c >= '0' && c <= '9')
            ? " (without its leading zeros it would be '" + new BigInteger(key) + "')"
            : "";
    return Optional.of(
        new Rendered.Invalid(
            Rejection.INVALID_EXPLICIT_HASH_KEY,
            "explicit hash key '"
                + abbreviate(key)
                + "' is not valid: Kinesis takes a decimal integer from 0 to 2^128-1 ("
                + HASH_KEY_LIMIT.subtract(BigInteger.ONE)
                + ") written without leading zeros, sign, spaces or exponent"
                + hint));
  }

  static boolean validHashKey(String text) {
    return HASH_KEY.matcher(text).matches() && new BigInteger(text).compareTo(HASH_KEY_LIMIT) < 0;
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
