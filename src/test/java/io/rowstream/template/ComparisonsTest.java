package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liquid's ==, order and contains. */
class ComparisonsTest {
  private final RenderContext ctx = new RenderContext(Map.of(), TemplateOptions.text());

  @Test
  void numbersAreEqualByValueWhateverTheirTypeButNeverEqualText() {
    assertThat(Comparisons.equal(1L, 1.0)).isTrue();
    assertThat(Comparisons.equal(1L, new BigDecimal("1.00"))).isTrue();
    assertThat(Comparisons.equal("1", 1L)).isFalse();
    assertThat(Comparisons.equal(null, null)).isTrue();
  }

  @Test
  void aJavaMapAndAJsonObjectWithTheSameEntriesAreEqual() throws Exception {
    Object json = new ObjectMapper().readTree("{\"a\": 1, \"b\": [1, 2]}");

    assertThat(Comparisons.equal(Map.of("a", 1L, "b", List.of(1L, 2L)), json)).isTrue();
    assertThat(Comparisons.equal(Map.of("a", 1L, "b", List.of(2L, 1L)), json)).isFalse();
  }

  @Test
  void emptyAndBlankMatchAsInRuby() {
    assertThat(Comparisons.equal(Special.EMPTY, "")).isTrue();
    assertThat(Comparisons.equal(List.of(), Special.EMPTY)).isTrue();
    assertThat(Comparisons.equal(Special.EMPTY, null)).isFalse();
    assertThat(Comparisons.equal(Special.BLANK, "  ")).isTrue();
    assertThat(Comparisons.equal(Special.BLANK, null)).isTrue();
    assertThat(Comparisons.equal(Special.BLANK, false)).isTrue();
    assertThat(Comparisons.equal(Special.EMPTY, Special.EMPTY)).isFalse();
  }

  @Test
  void orderComparesNumbersOrTextAndRefusesToMixThem() {
    assertThat(Comparisons.order(2L, 10.5)).isNegative();
    assertThat(Comparisons.order("b", "a")).isPositive();
    assertThat(Comparisons.order(null, 1L)).isNull();
    assertThat(Comparisons.order(List.of(), List.of())).isNull();
    assertThatThrownBy(() -> Comparisons.order("1", 1L))
        .isInstanceOf(LiquidError.class)
        .hasMessage("cannot compare '1' (a string) with 1 (a number)");
  }

  @Test
  void containsLooksForTextItemsRangeMembersAndKeys() {
    assertThat(Comparisons.contains("hello", "ell", ctx)).isTrue();
    assertThat(Comparisons.contains(List.of("a", 2L), 2.0, ctx)).isTrue();
    assertThat(Comparisons.contains(new LiquidRange(1, 5), 3L, ctx)).isTrue();
    assertThat(Comparisons.contains(new LiquidRange(1, 5), 6L, ctx)).isFalse();
    assertThat(Comparisons.contains(Map.of("k", 1L), "k", ctx)).isTrue();
    assertThat(Comparisons.contains(List.of("a"), null, ctx)).isFalse();
  }
}
