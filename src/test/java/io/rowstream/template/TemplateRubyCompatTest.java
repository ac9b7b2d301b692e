package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of issue 14 where Rowstream follows Ruby Liquid, one test per rule. Expected outputs
 * were checked against Ruby Liquid 5.4.0 (Debian's ruby-liquid, strict parsing) where it has the
 * feature; squish, self and the lenient filter-argument commas are from later Liquid versions.
 */
class TemplateRubyCompatTest {
  private static final Map<String, Object> DATA =
      Map.of(
          "x",
          5L,
          "f",
          1.5,
          "a",
          List.of(1L, 2L, 3L),
          "h",
          Map.of("k", 1L),
          "big",
          new BigInteger("99999999999999999999999"),
          "s",
          "abc");

  private static String text(String source) {
    return Template.compile(source, TemplateOptions.text()).render(DATA);
  }

  private static String json(String source) {
    return Template.compile(source, TemplateOptions.json()).render(DATA);
  }

  @Test
  void rule1WhereTakesAScalarOrAnObjectAsAOneItemList() {
    assertThat(text("{{ h | where: 'k' | size }} {{ h | where: 'k', 1 | first | json }}"))
        .isEqualTo("1 {\"k\":1}");
    assertThat(text("{{ s | where: 'b' | first }}|{{ s | where: 'z' | size }}")).isEqualTo("abc|0");
    assertThat(text("{{ f | where: 'a' }}|{{ nil | where: 'a' | size }}")).isEqualTo("|0");
    // an integer has [] in Ruby (its bits) and refuses a string key: an error in both
    assertThatThrownBy(() -> text("{{ x | where: 'a' }}"))
        .isInstanceOf(TemplateRenderException.class);
  }

  @Test
  void rule2FloatsAtTheEdgesPrintAsRubyPrintsThem() {
    assertThat(
            text("{{ 1.0 | divided_by: 0 }} {{ -1.0 | divided_by: 0 }} {{ 0.0 | divided_by: 0 }}"))
        .isEqualTo("Infinity -Infinity NaN");
    assertThat(text("{{ 0.0 | times: -1 }} {{ -0.0 }} {{ 0.0001 }} {{ 0.00001 }}"))
        .isEqualTo("-0.0 -0.0 0.0001 1.0e-05");
    assertThat(
            text(
                "{{ 100000000000000.0 }} {{ 1000000000000000.0 }} {{ 2.0 | times: 1000000000000000 }} "
                    + "{{ 1234567890123456.7 }} {{ 10000000000000000.0 }}"))
        .isEqualTo("100000000000000.0 1.0e+15 2.0e+15 1234567890123456.8 1.0e+16");
    assertThat(text("{{ 10.0 | divided_by: 3 }} {{ 2.0 | divided_by: 3 }} {{ 10.1 | minus: 2.2 }}"))
        .isEqualTo("3.3333333333333335 0.6666666666666666 7.9");
    assertThat(text("{{ 1.0 | divided_by: 0 | plus: 1 }} {{ 1.0 | divided_by: 0 | times: 0 }}"))
        .isEqualTo("Infinity NaN");
    // integers and exact decimals still refuse to divide by zero, as Ruby's Integer does
    assertThatThrownBy(() -> text("{{ 1 | divided_by: 0 }}")).hasMessageContaining("by zero");
    assertThatThrownBy(() -> text("{{ 1.5 | modulo: 0 }}")).hasMessageContaining("by zero");
  }

  @Test
  void rule2InAJsonMessageANonFiniteNumberIsAStringThroughJsonAndBareTextOtherwise() {
    assertThat(
            json(
                "{\"a\": {{ 1.0 | divided_by: 0 | json }}, \"b\": {{ 0.0 | divided_by: 0 | json }}, "
                    + "\"c\": {{ -1.0 | divided_by: 0 | json }}, \"d\": {{ 0.0 | times: -1 | json }}, \"e\": \"{{ f | divided_by: 0 }}\"}"))
        .isEqualTo(
            "{\"a\": \"Infinity\", \"b\": \"NaN\", \"c\": \"-Infinity\", \"d\": -0.0, \"e\": \"Infinity\"}");
    assertThat(
            Template.compile("{{ v | json }}", TemplateOptions.json())
                .render(Map.of("v", List.of(Double.NaN, Double.NEGATIVE_INFINITY, -0.0))))
        .isEqualTo("[\"NaN\",\"-Infinity\",-0.0]");
  }

  @Test
  void rule3SizeFirstAndLastOnScalarsAndBracketedNames() {
    assertThat(text("{{ x | size }} {{ x.size }} {{ big | size }} {{ f | size }} {{ s | size }}"))
        .isEqualTo("8 8 10 0 3");
    assertThat(text("{{ s | first }}{{ s | last }} {{ a.first }}{{ a.last }}")).isEqualTo("ac 13");
    assertThat(
            text(
                "[{{ a['first'] }}][{{ a['size'] }}][{{ h['size'] }}] {{ h.size }} {{ a[0] }}{{ h['k'] }}"))
        .isEqualTo("[][][] 1 11");
  }

  @Test
  void rule4SelfIsTheTemplateScope() {
    assertThat(text("{{ self.x }} {% assign y = 2 %}{{ self.y }} {{ self.h.k }}"))
        .isEqualTo("5 2 1");
  }

  @Test
  void rule5SyntaxRubyTakesAndRefuses() {
    assertThat(
            text(
                "{{ 'test' | upcase: }} {{ 'a' | append: 'b', }} {{ 'a' | append: 'b', | upcase }}"))
        .isEqualTo("TEST ab AB");
    assertThat(text("{% doc %}notes{% enddoc xyz %}ok")).isEqualTo("ok");
    assertThat(
            text(
                "{% case x %}{% when 5 and 6 %}five{% endcase %}{% case x %}{% when 6 foo 5 %}no{% endcase %}"))
        .isEqualTo("five");
    assertThatThrownBy(() -> text("{{ contains }}"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("'contains' is an operator, not a value");
    assertThatThrownBy(() -> text("{{ 123abc }}"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("a variable name cannot start with a digit");
    assertThatThrownBy(() -> text("{{ 'a' | append: 'b' 'c' }}"))
        .isInstanceOf(TemplateSyntaxException.class);
  }

  @Test
  void rule6ForAndTablerowEdgeCases() {
    assertThat(
            text(
                "{% for i in nil %}x{% else %}e{% endfor %}{% for i in false %}x{% else %}e{% endfor %}"
                    + "{% for i in s %}[{{ i }}]{% endfor %}"))
        .isEqualTo("ee[abc]");
    assertThat(
            text(
                "{% for i in a limit: nil %}{{ i }}{% endfor %} {% for i in a limit: '1' offset: '1' %}{{ i }}"
                    + "{% endfor %} {% for i in a offset: nil %}{{ i }}{% endfor %}"))
        .isEqualTo("123 2 123");
    assertThatThrownBy(() -> text("{% for i in a limit: 'x' %}{% endfor %}"))
        .hasMessageContaining("must be an integer");
    assertThat(
            text(
                "{% for i in a limit: 1 %}{{ i }}{% endfor %}|{% for i in a offset: continue offset: 1 %}{{ i }}"
                    + "{% endfor %}|{% for i in a offset: 1 offset: continue %}{{ i }}{% endfor %}"))
        .isEqualTo("1|23|");
    assertThat(
            text(
                "{% tablerow i in nil %}x{% endtablerow %}{% tablerow i in false %}x{% endtablerow %}"))
        .isEmpty();
    assertThat(text("{% tablerow i in s %}{{ i }}{% endtablerow %}"))
        .isEqualTo("<tr class=\"row1\">\n<td class=\"col1\">abc</td></tr>\n");
    assertThat(text("{% tablerow i in a limit: nil %}{{ i }}{% endtablerow %}"))
        .isEqualTo("<tr class=\"row1\">\n</tr>\n");
    assertThat(text("{% tablerow i in a cols: nil limit: 2 %}{{ i }}{% endtablerow %}"))
        .isEqualTo(
            "<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n");
  }

  @Test
  void rule7SquishAndALenientUrlDecode() {
    assertThat(text("[{{ '  a \t\n b   c ' | squish }}]")).isEqualTo("[a b c]");
    assertThat(text("{{ '%zz%4+%41%e2%82%ac%' | url_decode }}")).isEqualTo("%zz%4 A\u20ac%");
  }

  @Test
  void rule8NilAndBlankAsNamesEmptyEqualsEmptyAndNilEscape() {
    assertThat(text("{% assign nil = 1 %}[{{ nil }}]{% assign blank = 1 %}[{{ blank }}]"))
        .isEqualTo("[][]");
    assertThat(
            text(
                "{% if empty == empty %}y{% else %}n{% endif %}{% if blank == blank %}y{% else %}n{% endif %}"
                    + "{% if empty != empty %}y{% else %}n{% endif %}"))
        .isEqualTo("nny");
    assertThat(
            text(
                "{% assign e = '' %}{% if e == empty %}y{% endif %}{% if a != empty %}y{% endif %}"))
        .isEqualTo("yy");
    assertThat(text("[{{ nil | escape }}]")).isEqualTo("[]");
  }
}
