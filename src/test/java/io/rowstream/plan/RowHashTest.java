package io.rowstream.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowHashTest {
  @Test
  void sameTextGivesTheSameHash() {
    assertThat(RowHash.of("{\"id\":1}")).isEqualTo(RowHash.of("{\"id\":" + 1 + "}"));
  }

  @Test
  void oneCharacterChangedGivesAnotherHashForAMillionNeighbouringRows() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1_000_000; i++) {
      assertThat(seen.add(RowHash.of("{\"id\":" + i + ",\"name\":\"customer\"}"))).isTrue();
    }
    assertThat(RowHash.of("{\"a\":\"x\"}")).isNotEqualTo(RowHash.of("{\"a\":\"y\"}"));
    assertThat(RowHash.of("")).isNotEqualTo(RowHash.of("\u0000"));
  }
}
