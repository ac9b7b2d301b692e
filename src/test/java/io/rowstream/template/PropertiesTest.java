package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading into values: obj.key, obj[key] and the list filters' item[key]. */
class PropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aKeyWinsOverACommandAndBracketsTakeNoCommands() {
    assertThat(Properties.property(Map.of("size", "big"), "size")).isEqualTo("big");
    assertThat(Properties.property(Map.of("a", 1L), "size")).isEqualTo(1L);
    assertThat(Properties.property(List.of(1L, 2L, 3L), "last")).isEqualTo(3L);
    assertThat(Properties.property(List.of(1L, 2L, 3L), "first", false)).isNull();
    assertThat(Properties.property(List.of(1L, 2L, 3L), -1L)).isEqualTo(3L);
    assertThat(Properties.property(List.of(1L, 2L, 3L), 3L)).isNull();
    assertThat(Properties.property("héllo", "size")).isEqualTo(5L);
  }

  @Test
  void jsonTreesAreReadInPlaceWithTheirLeavesAsJavaValues() throws Exception {
    JsonNode tree = JSON.readTree("{\"a\": {\"b\": [10, \"x\", null]}}");
    Object b = Properties.property(Properties.property(tree, "a"), "b");

    assertThat(b).isInstanceOf(JsonNode.class);
    assertThat(Properties.property(b, 0L)).isEqualTo(10L);
    assertThat(Properties.property(b, -2L)).isEqualTo("x");
    assertThat(Properties.property(b, 2L)).isNull();
    assertThat(Properties.property(b, "size")).isEqualTo(3L);
    assertThat(Properties.property(tree, "first")).isEqualTo(List.of("a", tree.get("a")));
  }

  @Test
  void rangesAreIndexedFromEitherEndWithoutBeingBuilt() {
    LiquidRange r = new LiquidRange(3, 1_000_000_000);

    assertThat(Properties.property(r, 0L)).isEqualTo(3L);
    assertThat(Properties.property(r, -1L)).isEqualTo(1_000_000_000L);
    assertThat(Properties.property(r, "size")).isEqualTo(999_999_998L);
  }

  @Test
  void theFiltersIndexReadsStringsIntegersAndListsAsRubyDoes() {
    assertThat(Properties.index("hello", "ell", "where")).isEqualTo("ell");
    assertThat(Properties.index("hello", -1L, "where")).isEqualTo("o");
    assertThat(Properties.index(5L, 0L, "where")).isEqualTo(1L);
    assertThat(Properties.index(5L, 1L, "where")).isEqualTo(0L);
    assertThat(Properties.index(null, "a", "map")).isSameAs(Properties.NO_INDEX);
    assertThat(Properties.index(1.5, "a", "map")).isSameAs(Properties.NO_INDEX);
    assertThatThrownBy(() -> Properties.index(List.of(1L), "a", "where"))
        .isInstanceOf(LiquidError.class)
        .hasMessage("where: cannot read 'a' (a string) of a list; expected a list of objects");
  }
}
