package io.rowstream.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.Rejection;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordKeysTest {
  private static final String EMOJI = "\uD83D\uDE00"; // one character, two UTF-16 code units

  @Test
  void aPartitionKeyOf256CodeUnitsIsTakenAnd257AreRefused() {
    assertThat(RecordKeys.checkPartitionKey("k".repeat(256), true)).isEmpty();
    assertThat(RecordKeys.checkPartitionKey("k", true)).isEmpty();
    assertThat(RecordKeys.checkPartitionKey("k".repeat(257), true))
        .get()
        .extracting(Rendered.Invalid::message)
        .isEqualTo(
            "partition key has 257 characters; Kinesis takes 1 to 256 " + "UTF-16 code units");
  }

  @Test
  void emojiCountTwiceSo200EmojiAreRefusedAnd128AreTaken() {
    assertThat(RecordKeys.checkPartitionKey(EMOJI.repeat(128), true)).isEmpty();
    assertThat(RecordKeys.checkPartitionKey(EMOJI.repeat(129), true)).isPresent();
    Rendered.Invalid refused = RecordKeys.checkPartitionKey(EMOJI.repeat(200), true).orElseThrow();
    assertThat(refused.reason()).isEqualTo(Rejection.INVALID_PARTITION_KEY);
    assertThat(refused.message())
        .isEqualTo(
            "partition key has 400 UTF-16 code units (200 characters; each character "
                + "outside the Basic Multilingual Plane, such as an emoji, counts as 2); Kinesis takes 1 to 256 UTF-16 code "
                + "units");
  }

  @Test
  void anEmptyPartitionKeyFromATemplateAsksWhetherItsColumnIsNull() {
    assertThat(RecordKeys.checkPartitionKey("", true).orElseThrow().message())
        .isEqualTo(
            "partition key has 0 characters; Kinesis takes 1 to 256 UTF-16 code units (is the column it names "
                + "null for this row?)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "7", "12345678901234567890", "340282366920938463463374607431768211455"})
  void explicitHashKeysInTheDocumentedPatternBelow2To128AreTaken(String key) {
    assertThat(RecordKeys.checkExplicitHashKey(key)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00",
        "-1",
        "+1",
        "1e3",
        "1.0",
        " 1",
        "1 2",
        "0x10",
        "abc",
        "٣",
        "340282366920938463463374607431768211456",
        "1000000000000000000000000000000000000000"
      })
  void explicitHashKeysOutsideThePatternOrRangeAreRefused(String key) {
    Rendered.Invalid refused = RecordKeys.checkExplicitHashKey(key).orElseThrow();
    assertThat(refused.reason()).isEqualTo(Rejection.INVALID_EXPLICIT_HASH_KEY);
    assertThat(refused.message())
        .contains(
            "Kinesis takes a decimal integer from 0 to 2^128-1 ("
                + BigInteger.TWO.pow(128).subtract(BigInteger.ONE)
                + ") written without leading zeros, sign, spaces or exponent");
  }

  @Test
  void aHashKeyWithLeadingZerosIsRefusedAndTheMessageSaysWhatWouldBeValid() {
    assertThat(RecordKeys.checkExplicitHashKey("007").orElseThrow().message())
        .startsWith("explicit hash key '007' is not valid")
        .endsWith("(without its leading zeros it would be '7')");
  }
}
