package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Syntax errors name the line, the column and why; render errors say what failed where. */
class TemplateErrorsTest {
  private static TemplateSyntaxException syntaxError(String source) {
    return catchThrowableOfType(
        TemplateSyntaxException.class, () -> Template.compile(source, TemplateOptions.json()));
  }

  @Test
  void anUnknownTagIsNamedWithItsPosition() {
    TemplateSyntaxException e = syntaxError("{\"a\": 1,\n \"b\": \"{% if x %}y{% endfi %}\"}");
    assertThat(e.reason()).isEqualTo("unknown tag 'endfi'");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(19);
    assertThat(e).hasMessage("line 2, column 19: unknown tag 'endfi'");
  }

  @Test
  void anUnclosedBlockPointsAtItsOpeningTag() {
    TemplateSyntaxException e = syntaxError("x\n  {% for t in tags %}\n{% if t %}{% endif %}");
    assertThat(e).hasMessage("line 2, column 3: 'for' is not closed");
  }

  @Test
  void aMisplacedEndTagNamesTheOpenBlock() {
    assertThat(syntaxError("{% for t in tags %}{% endif %}"))
        .hasMessage(
            "line 1, column 20: unexpected 'endif'; the open block is 'for' at line 1, column 1");
    assertThat(syntaxError("{% else %}")).hasMessage("line 1, column 1: unexpected 'else'");
  }

  @Test
  void anUnknownFilterIsACompileError() {
    assertThat(syntaxError("{{ row.name | titlecase }}"))
        .hasMessage("line 1, column 1: unknown filter 'titlecase'");
  }

  @Test
  void aWrongNumberOfFilterArgumentsIsACompileError() {
    assertThat(syntaxError("{{ a | plus: 1, 2 }}"))
        .hasMessage("line 1, column 1: the filter 'plus' takes 1 argument, not 2");
    assertThat(syntaxError("{{ a | append }}"))
        .hasMessage("line 1, column 1: the filter 'append' takes 1 argument, not 0");
  }

  @Test
  void unclosedOutputsStringsAndBadExpressionsAreNamed() {
    assertThat(syntaxError("ab {{ row.name "))
        .hasMessage("line 1, column 4: the output '{{' is not closed with '}}'");
    assertThat(syntaxError("{% if x %"))
        .hasMessage("line 1, column 1: the tag '{%' is not closed with '%}'");
    assertThat(syntaxError("{{ 'abc }}").reason()).startsWith("the string 'abc");
    assertThat(syntaxError("{{ a + 1 }}").reason())
        .isEqualTo("unexpected character '+' in \"a + 1\"");
    assertThat(syntaxError("{{ a b }}").reason()).isEqualTo("unexpected 'b' in \"a b\"");
    assertThat(syntaxError("{% assign = 1 %}").reason())
        .isEqualTo("expected a variable name but found '=' in \"= 1\"");
  }

  @Test
  void renderErrorsSayWhatFailedAndWhere() {
    Template t = Template.compile("a\n{{ x | divided_by: 0 }}", TemplateOptions.text());
    assertThatThrownBy(() -> t.render(Map.of("x", 10)))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessage("line 2, column 1: divided_by: cannot divide 10 by zero");
    Template cmp = Template.compile("{% if a > 1 %}x{% endif %}", TemplateOptions.text());
    assertThatThrownBy(() -> cmp.render(Map.of("a", "2")))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessage("line 1, column 1: cannot compare '2' (a string) with 1 (a number)");
    Template limit =
        Template.compile("{% for i in (1..3) limit: 'x' %}{% endfor %}", TemplateOptions.text());
    assertThatThrownBy(() -> limit.render(Map.of()))
        .hasMessage("line 1, column 1: the loop limit must be an integer, not 'x' (a string)");
  }

  @Test
  void undefinedVariablesAndPropertiesRenderAsNothing() {
    Template t = Template.compile("[{{ nope }}{{ row.nope.deeper[3] }}]", TemplateOptions.json());
    assertThat(t.render(Map.of("row", Map.of()))).isEqualTo("[]");
  }
}
