package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text of scalars used as primary keys and map keys. */
class ScalarTextTest {

  @Test
  void decimalsArePlainDatesIsoAndBytesBase64() {
    assertThat(ScalarText.of(null)).isNull();
    assertThat(ScalarText.of("k")).isEqualTo("k");
    assertThat(ScalarText.of(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(ScalarText.of(LocalDate.of(2026, 1, 2))).isEqualTo("2026-01-02");
    assertThat(ScalarText.of(LocalDateTime.of(2026, 1, 2, 3, 4, 5)))
        .isEqualTo("2026-01-02T03:04:05");
    assertThat(ScalarText.of(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2))))
        .isEqualTo("2026-01-02T01:04:05Z");
    assertThat(ScalarText.of(new byte[] {1, 2, 3})).isEqualTo("AQID");
    assertThat(ScalarText.of(42L)).isEqualTo("42");
  }

  @Test
  void knownScalarsAreThoseWithTextOfTheirOwn() {
    assertThat(ScalarText.isKnown(UUID.randomUUID())).isTrue();
    assertThat(ScalarText.isKnown(7)).isTrue();
    assertThat(ScalarText.isKnown(Boolean.TRUE)).isTrue();
    assertThat(ScalarText.isKnown(new java.util.Date(0))).isTrue();
    assertThat(ScalarText.isKnown(new Object())).isFalse();
    assertThat(ScalarText.isTemporal(LocalDate.EPOCH)).isTrue();
    assertThat(ScalarText.isTemporal("2026-01-01")).isFalse();
  }
}
