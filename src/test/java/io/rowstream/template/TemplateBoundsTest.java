package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No file access, and every render bounded: iterations, output, time, nesting, ranges. */
class TemplateBoundsTest {
  private static String render(String source, TemplateOptions options) {
    return Template.compile(source, options).render(Map.of());
  }

  @Test
  void includeAndRenderAreCompileErrorsBecauseTemplatesCannotReadFiles() {
    assertThatThrownBy(
            () -> Template.compile("a {% include 'secrets.txt' %}", TemplateOptions.json()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessage(
            "line 1, column 3: templates cannot include files: {% include 'secrets.txt' %}");
    assertThatThrownBy(() -> Template.compile("{% render '/etc/passwd' %}", TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("templates cannot include files");
  }

  @Test
  void moreLoopIterationsThanTheLimitIsARenderErrorNamingTheLimit() {
    assertThatThrownBy(
            () -> render("{% for i in (1..200000) %}x{% endfor %}", TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessage(
            "line 1, column 1: the template ran more than 100000 loop iterations (the limit)");
  }

  @Test
  void theIterationLimitCountsAllLoopsOfARenderTogether() {
    TemplateOptions options = TemplateOptions.text().withMaxIterations(1000);
    assertThat(
            render("{% for i in (1..30) %}{% for j in (1..30) %}{% endfor %}{% endfor %}", options))
        .isEmpty();
    assertThatThrownBy(
            () ->
                render(
                    "{% for i in (1..40) %}{% for j in (1..40) %}{% endfor %}{% endfor %}",
                    options))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("more than 1000 loop iterations (the limit)");
  }

  @Test
  void aHugeRangeNeitherHangsNorRunsOutOfMemory() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> render("{{ (1..999999999) | join: ',' }}", TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("the range 1..999999999 has more than 100000 items");
    assertThatThrownBy(
            () -> render("{% for i in (1..999999999) %}{% endfor %}", TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("loop iterations (the limit)");
    assertThat(
            render(
                "{% assign r = (1..999999999) %}{{ r | size }} {{ r.last }}",
                TemplateOptions.text()))
        .isEqualTo("999999999 999999999");
    // a billion items made would take minutes (or the heap): the bound leaves room for a starved
    // CPU
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void writingMoreThanTheOutputLimitIsARenderError() {
    TemplateOptions options = TemplateOptions.json().withMaxOutputChars(1000);
    assertThat(render("{% for i in (1..99) %}0123456789{% endfor %}", options)).hasSize(990);
    assertThatThrownBy(() -> render("{% for i in (1..101) %}0123456789{% endfor %}", options))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("the template wrote more than 1000 characters (the limit)");
  }

  @Test
  void valuesThatDoubleInALoopStopAtTheOutputLimitInsteadOfFillingTheHeap() {
    assertThatThrownBy(
            () ->
                render(
                    "{% assign s = 'xy' %}{% for i in (1..64) %}{% assign s = s | append: s %}"
                        + "{% endfor %}",
                    TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("grew past 4194304 characters or items (the output limit)");
    assertThatThrownBy(
            () ->
                render(
                    "{% assign a = 'x,y' | split: ',' %}{% for i in (1..64) %}"
                        + "{% assign a = a | concat: a %}{% endfor %}",
                    TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining(
            "limit)"); // the output limit, or the time limit first on a loaded machine
    assertThatThrownBy(
            () ->
                render(
                    "{% capture s %}{% for i in (1..5000) %}0123456789{% endfor %}{% endcapture %}",
                    TemplateOptions.text().withMaxOutputChars(10_000)))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("more than 10000 characters (the limit)");
    assertThatThrownBy(
            () ->
                render(
                    "{% assign s = 'aaaaaaaaaaaaaaaaaaaa' %}{% for i in (1..10) %}"
                        + "{% assign s = s | replace: 'a', s %}{% endfor %}",
                    TemplateOptions.text()))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("(the output limit)");
  }

  @Test
  void aRenderThatTakesLongerThanTheTimeLimitIsStopped() {
    TemplateOptions options =
        TemplateOptions.text()
            .withMaxIterations(Long.MAX_VALUE)
            .withMaxRenderTime(Duration.ofMillis(100));
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                render(
                    "{% for i in (1..2000000000) %}{% assign x = i | plus: 1 %}{% endfor %}",
                    options))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("the template took longer than 100 ms to render (the limit)");
    // two billion iterations would take minutes: the bound leaves room for a starved CPU
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void deepNestingIsACompileErrorNotAStackOverflow() {
    String ifs = "{% if true %}".repeat(150) + "x" + "{% endif %}".repeat(150);
    assertThatThrownBy(() -> Template.compile(ifs, TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("blocks are nested more than 100 deep");
    String brackets = "{{ a" + "[a".repeat(5000) + "]".repeat(5000) + " }}";
    assertThatThrownBy(() -> Template.compile(brackets, TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("nested more than 100 deep");
    String liquids = "{% liquid " + "liquid ".repeat(500) + "echo 1 %}";
    assertThatThrownBy(() -> Template.compile(liquids, TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("nested more than 100 deep");
    String conditions = "{% if " + "true and ".repeat(5000) + "true %}x{% endif %}";
    assertThatThrownBy(() -> Template.compile(conditions, TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("nested more than 100 deep");
  }

  @Test
  void deeplyNestedDataIsBoundedToo() {
    Object deep = "x";
    for (int i = 0; i < 5000; i++) {
      deep = java.util.List.of(deep);
    }
    Template t = Template.compile("{{ v | json }}", TemplateOptions.json());
    Map<String, Object> vars = Map.of("v", deep);
    assertThatThrownBy(() -> t.render(vars))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessageContaining("nested more than 100 deep");
  }
}
