package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every value a template can build is bounded (numbers by digits, strings and lists by the output
 * limit), and slow operations inside one filter look at the clock: each bound is a render error
 * within about the promised time, never a hang, a heap filled or a wrong result. The timing bounds
 * are generous for a loaded machine: the point is that nothing hangs.
 */
class TemplateValueBoundsTest {
  private static final Duration NO_HANG = Duration.ofSeconds(10);

  private static String render(String source, Map<String, ?> vars, TemplateOptions options) {
    return Template.compile(source, options).render(vars);
  }

  /**
   * Fails with {@code message}; "(the limit)" stands for any bound (output or time, whichever comes
   * first).
   */
  private static void failsFast(ThrowingCallable render, String message) {
    long start = System.nanoTime();
    assertThatThrownBy(render)
        .isInstanceOf(TemplateRenderException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains(message.equals("(the limit)") ? "limit)" : message));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(NO_HANG);
  }

  @Test
  void anIntegerSquaredInALoopStopsAtTheDigitLimitInsteadOfHanging() {
    failsFast(
        () ->
            render(
                "{% assign n = 9 %}{% for i in (1..40) %}{% assign n = n | times: n %}{% endfor %}"
                    + "{{ n | size }}",
                Map.of(), TemplateOptions.json()),
        "times: the product would have more than 10000 digits (the number limit)");
  }

  @Test
  void numbersJustBelowTheDigitLimitStillCompute() {
    // 9^(2^13) has 7,818 digits
    String digits =
        render(
            "{% assign n = 9 %}{% for i in (1..13) %}{% assign n = n | times: n %}{% endfor %}"
                + "{{ n }}",
            Map.of(), TemplateOptions.text());
    assertThat(digits).hasSize(7818).startsWith("1");
  }

  @Test
  void anExactDecimalGrowingInALoopStopsAtTheDigitLimit() {
    failsFast(
        () ->
            render(
                "{% assign n = d %}{% for i in (1..40) %}{% assign n = n | times: n %}{% endfor %}{{ n }}",
                Map.of("d", new BigDecimal("1.000001")), TemplateOptions.text()),
        "more than 10000 digits");
  }

  @Test
  void aDecimalWithAHugeExponentIsRefusedInArithmeticButStillPrints() {
    Map<String, Object> vars =
        Map.of("d", new BigDecimal("1E+999999999"), "e", new BigDecimal("1E-999999999"));
    failsFast(
        () -> render("{{ d | plus: 1 }}", vars, TemplateOptions.text()), "more than 10000 digits");
    failsFast(
        () -> render("{{ e | minus: 1 }}", vars, TemplateOptions.text()), "more than 10000 digits");
    failsFast(
        () -> render("{{ d | round: 2 }}", vars, TemplateOptions.text()), "more than 10000 digits");
    failsFast(
        () -> render("{{ d | ceil }}", vars, TemplateOptions.text()), "more than 10000 digits");
    failsFast(
        () -> render("{{ d | modulo: 7 }}", vars, TemplateOptions.text()),
        "more than 10000 digits");
    assertThat(
            render(
                "{{ d }} {% if d > 5 %}big{% endif %} {% for i in (1..d) limit: 2 %}{{ i }}{% endfor %}",
                vars, TemplateOptions.text()))
        .isEqualTo("1E+999999999 big 12");
  }

  @Test
  void aNumericStringTooLongToBeANumberIsRefused() {
    failsFast(
        () -> render("{{ s | plus: 1 }}", Map.of("s", "9".repeat(20_000)), TemplateOptions.text()),
        "more than 10000 digits");
    failsFast(
        () ->
            render(
                "{{ s | times: 2 }}",
                Map.of("s", "9".repeat(20_000) + ".5"),
                TemplateOptions.text()),
        "more than 10000 digits");
    assertThatThrownBy(
            () -> Template.compile("{{ " + "9".repeat(20_000) + " }}", TemplateOptions.text()))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("more than 10000 digits");
  }

  @Test
  void stringsBuiltByEveryStringFilterStopAtTheOutputLimit() {
    TemplateOptions options = TemplateOptions.text();
    for (String grow :
        new String[] {
          "s | append: s",
          "s | prepend: s",
          "s | replace: 'x', s",
          "s | remove: 'y' | append: s",
          "s | split: '' | join: s",
          "s | url_encode | append: s",
          "s | escape | append: s | escape"
        }) {
      failsFast(
          () ->
              render(
                  "{% assign s = 'x&' %}{% for i in (1..64) %}{% assign s = "
                      + grow
                      + " %}{% endfor %}",
                  Map.of(),
                  options),
          "characters or items (the output limit)");
    }
  }

  @Test
  void listsBuiltByEveryListFilterStopAtTheOutputLimit() {
    TemplateOptions options = TemplateOptions.text();
    failsFast(
        () ->
            render(
                "{% assign a = 'x,y' | split: ',' %}{% for i in (1..64) %}{% assign a = a | concat: a %}"
                    + "{% endfor %}",
                Map.of(), options),
        "(the limit)");
    failsFast(
        () ->
            render(
                "{{ (1..999999999) | json }}", Map.of(), options.withMaxIterations(Long.MAX_VALUE)),
        "(the limit)");
    failsFast(
        () -> render("{{ (1..999999999) | sort | first }}", Map.of(), options),
        "(the loop iteration limit)");
  }

  @Test
  void aListOfBigStringsPrintedAsTextStopsAtTheOutputLimitWithoutFillingTheHeap() {
    String big = "x".repeat(1 << 20);
    // 4,096 references to a 1 Mi string: 4 Gi characters if printed unbounded
    String build =
        "{% assign a = big | split: '!' %}{% for i in (1..12) %}{% assign a = a | concat: a %}{% endfor %}";
    failsFast(
        () -> render(build + "{{ a }}", Map.of("big", big), TemplateOptions.text()), "(the limit)");
    failsFast(
        () -> render(build + "{{ a | upcase }}", Map.of("big", big), TemplateOptions.text()),
        "(the limit)");
    failsFast(
        () -> render(build + "{{ a | join: '' }}", Map.of("big", big), TemplateOptions.json()),
        "(the limit)");
    failsFast(
        () -> render(build + "{{ a | json }}", Map.of("big", big), TemplateOptions.json()),
        "(the limit)");
  }

  @Test
  void aSlowFilterIsStoppedByTheRenderTimeBound() {
    TemplateOptions options = TemplateOptions.text().withMaxRenderTime(Duration.ofMillis(200));
    // uniq of 100,000 distinct numbers compares every pair: minutes without the clock
    failsFast(
        () -> render("{{ (1..100000) | uniq | size }}", Map.of(), options),
        "took longer than 200 ms");
    // a long target in a long text that almost matches everywhere: String.indexOf compares naively
    String text = "a".repeat(2_000_000);
    String target = "a".repeat(200_000) + "b";
    Map<String, Object> vars = Map.of("s", text, "t", target);
    failsFast(
        () -> render("{{ s | replace: t, 'x' | size }}", vars, options), "took longer than 200 ms");
    failsFast(() -> render("{{ s | split: t | size }}", vars, options), "took longer than 200 ms");
    failsFast(
        () -> render("{% if s contains t %}yes{% endif %}", vars, options),
        "took longer than 200 ms");
  }

  @Test
  void filtersThatUsedToBeQuadraticOnHostileTextAreLinear() {
    TemplateOptions options = TemplateOptions.text().withMaxRenderTime(Duration.ofSeconds(5));
    Map<String, Object> vars = Map.of("lt", "<".repeat(1_000_000), "amp", "&".repeat(500_000));
    assertThat(render("{{ lt | strip_html | size }}", vars, options)).isEqualTo("1000000");
    assertThat(render("{{ amp | escape_once | size }}", vars, options)).isEqualTo("2500000");
    assertThat(render("{{ amp | split: '' | uniq | size }}", vars, options)).isEqualTo("1");
  }
}
