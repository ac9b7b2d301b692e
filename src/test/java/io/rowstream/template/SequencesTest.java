package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values as sizes and sequences: size, empty, what a loop walks, what a filter sees. */
class SequencesTest {
  private final RenderContext ctx =
      new RenderContext(Map.of(), TemplateOptions.text().withMaxIterations(100));

  @Test
  void sizeCountsCharactersItemsAndTheBytesOfAnInteger() {
    assertThat(Sequences.size("héllo")).isEqualTo(5);
    assertThat(Sequences.size(List.of(1L, 2L))).isEqualTo(2);
    assertThat(Sequences.size(new LiquidRange(1, 10))).isEqualTo(10);
    assertThat(Sequences.size(7L)).isEqualTo(8);
    assertThat(Sequences.size(BigInteger.TWO.pow(100))).isEqualTo(13);
    assertThat(Sequences.size(1.5)).isZero();
  }

  @Test
  void emptyIsTrueOnlyForEmptyStringsAndContainers() {
    assertThat(Sequences.isEmpty("")).isTrue();
    assertThat(Sequences.isEmpty(List.of())).isTrue();
    assertThat(Sequences.isEmpty(new LiquidRange(2, 1))).isTrue();
    assertThat(Sequences.isEmpty(" ")).isFalse();
    assertThat(Sequences.isEmpty(null)).isFalse();
    assertThat(Sequences.isEmpty(0L)).isFalse();
  }

  @Test
  void aLoopWalksObjectsAsKeyValuePairsAndAStringOnce() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("a", 1L);
    map.put("b", null);

    assertThat(Sequences.loopItems(map, ctx))
        .isEqualTo(List.of(List.of("a", 1L), Arrays.asList("b", null)));
    assertThat(Sequences.loopItems("abc", ctx)).isEqualTo(List.of("abc"));
    assertThat(Sequences.loopItems("", ctx)).isEmpty();
    assertThat(Sequences.loopItems(new LiquidRange(1, 3), ctx)).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(Sequences.loopItems(42L, ctx)).isEmpty();
  }

  @Test
  void filtersSeeListsFlattenedNilAsNothingAndAnythingElseAsOneItem() {
    assertThat(Sequences.inputList(List.of(1L, List.of(2L, List.of(3L))), ctx))
        .containsExactly(1L, 2L, 3L);
    assertThat(Sequences.inputList(null, ctx)).isEmpty();
    assertThat(Sequences.inputList(Map.of("a", 1L), ctx)).containsExactly(Map.of("a", 1L));
    assertThat(Sequences.asList("text", ctx)).isNull();
  }

  @Test
  void aRangeLongerThanTheIterationLimitIsAnErrorNotAHugeList() {
    assertThatThrownBy(() -> Sequences.rangeList(new LiquidRange(1, 101), ctx))
        .isInstanceOf(LiquidError.class)
        .hasMessageContaining("the range 1..101 has more than 100 items");
  }
}
