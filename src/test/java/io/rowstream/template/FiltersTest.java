package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The registry of filters: each family registers its own names, none overrides another's. */
class FiltersTest {

  private static List<String> namesOf(Consumer<Filters.Registrar> family) {
    List<String> names = new ArrayList<>();
    family.accept((name, min, max, impl) -> names.add(name));
    return names;
  }

  @Test
  void noFamilyRegistersANameThatAnotherFamilyRegisters() {
    List<String> all = new ArrayList<>();
    all.addAll(namesOf(TextFilters::register));
    all.addAll(namesOf(EncodingFilters::register));
    all.addAll(namesOf(NumberFilters::register));
    all.addAll(namesOf(ListFilters::register));
    all.addAll(List.of("json", "raw", "size", "default", "date"));
    assertThat(all).doesNotHaveDuplicates().hasSize(63);
    assertThat(all).allSatisfy(name -> assertThat(Filters.get(name)).isNotNull());
  }

  @Test
  void theRegistryKeepsEachFiltersArgumentCounts() {
    assertThat(Filters.get("replace"))
        .extracting(Filters.Def::min, Filters.Def::max)
        .containsExactly(1, 2);
    assertThat(Filters.get("truncate"))
        .extracting(Filters.Def::min, Filters.Def::max)
        .containsExactly(0, 2);
    assertThat(Filters.get("upcase"))
        .extracting(Filters.Def::min, Filters.Def::max)
        .containsExactly(0, 0);
    assertThat(Filters.get("round"))
        .extracting(Filters.Def::min, Filters.Def::max)
        .containsExactly(0, 1);
    assertThat(Filters.get("has"))
        .extracting(Filters.Def::min, Filters.Def::max)
        .containsExactly(1, 2);
    assertThat(Filters.get("no_such_filter")).isNull();
  }

  @Test
  void aTextFilterAppliesItsOperationToTheInputsText() {
    List<Filters.Impl> registered = new ArrayList<>();
    Filters.Registrar r = (name, min, max, impl) -> registered.add(impl);
    r.text("shout", s -> s + "!");
    Object out =
        registered
            .get(0)
            .apply(
                42L,
                new Object[0],
                java.util.Map.of(),
                new RenderContext(java.util.Map.of(), TemplateOptions.text()));
    assertThat(out).isEqualTo("42!");
  }
}
