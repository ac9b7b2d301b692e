package io.rowstream.template;

import static io.rowstream.template.TemplateJsonModeTest.NASTY;
import static io.rowstream.template.TemplateJsonModeTest.parse;
import static io.rowstream.template.TemplateJsonModeTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.core.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tags users reach for in message payloads, in JSON mode with nasty values: the output must
 * parse as JSON and hold exactly the expected value.
 */
class TemplateTagsTest {
  private static final List<String> TAGS =
      List.of("q\"uote", "back\\slash", "new\nline", "ctl\u0002", "😀");

  private static Map<String, Object> vars(Object... more) throws Exception {
    JsonNode row =
        Json.EXACT.readTree(
            Json.EXACT.writeValueAsString(
                Map.of(
                    "name", NASTY, "tags", TAGS, "age", 36, "vip", true, "tier", "gold\"",
                    "balance", 6000)));
    Map<String, Object> out =
        new java.util.HashMap<>(Map.of("row", row, "op", "changed", "sync", "customers"));
    for (int i = 0; i < more.length; i += 2) {
      out.put((String) more[i], more[i + 1]);
    }
    return out;
  }

  private static String field(String template, Map<String, Object> vars) throws Exception {
    return parse(render("{\"v\": \"" + template + "\"}", vars)).get("v").textValue();
  }

  @Test
  void ifElsifElseChooseTheFirstBranchThatHolds() throws Exception {
    String t =
        "{% if row.age < 18 %}minor{% elsif row.vip and row.balance > 5000 %}{{ row.name }}"
            + "{% else %}other{% endif %}";
    assertThat(field(t, vars())).isEqualTo(NASTY);
    assertThat(field("{% if row.tags contains '😀' %}has{% endif %}", vars())).isEqualTo("has");
    assertThat(field("{% if row.name contains 'emoji' or false %}yes{% endif %}", vars()))
        .isEqualTo("yes");
  }

  @Test
  void unlessRendersWhenTheConditionDoesNotHold() throws Exception {
    assertThat(field("{% unless row.vip %}no{% else %}{{ row.tier }}{% endunless %}", vars()))
        .isEqualTo("gold\"");
    assertThat(field("{% unless row.nothing %}{{ row.name }}{% endunless %}", vars()))
        .isEqualTo(NASTY);
  }

  @Test
  void forWithForloopWritesEveryItemEscaped() throws Exception {
    String out =
        render(
            "{\"tags\": [{% for t in row.tags %}{\"i\": {{ forloop.index }}, \"t\": \"{{ t }}\", "
                + "\"first\": {{ forloop.first }}, \"last\": {{ forloop.last }}, \"rindex\": {{ forloop.rindex0 }}}"
                + "{% unless forloop.last %}, {% endunless %}{% endfor %}]}",
            vars());
    JsonNode tags = parse(out).get("tags");
    assertThat(tags).hasSize(TAGS.size());
    for (int i = 0; i < TAGS.size(); i++) {
      assertThat(tags.get(i).get("i").intValue()).isEqualTo(i + 1);
      assertThat(tags.get(i).get("t").textValue()).isEqualTo(TAGS.get(i));
      assertThat(tags.get(i).get("first").booleanValue()).isEqualTo(i == 0);
      assertThat(tags.get(i).get("last").booleanValue()).isEqualTo(i == TAGS.size() - 1);
      assertThat(tags.get(i).get("rindex").intValue()).isEqualTo(TAGS.size() - 1 - i);
    }
  }

  @Test
  void forWithLimitOffsetReversedRangesElseAndBreak() throws Exception {
    assertThat(
            field(
                "{% for t in row.tags limit: 2 offset: 1 reversed %}{{ t }}|{% endfor %}", vars()))
        .isEqualTo("new\nline|back\\slash|");
    assertThat(
            field(
                "{% for i in (1..5) %}{% if i == 4 %}{% break %}{% endif %}{% if i == 2 %}{% continue %}"
                    + "{% endif %}{{ i }}{% endfor %}",
                vars()))
        .isEqualTo("13");
    assertThat(field("{% for t in row.nothing %}x{% else %}{{ row.tier }}{% endfor %}", vars()))
        .isEqualTo("gold\"");
    assertThat(
            field(
                "{% for a in (1..2) %}{% for b in (1..2) %}{{ forloop.parentloop.index }}{{ b }} {% endfor %}"
                    + "{% endfor %}",
                vars()))
        .isEqualTo("11 12 21 22 ");
  }

  @Test
  void caseWhenElseComparesWithLiquidEquality() throws Exception {
    String t =
        "{% case op %}{% when 'added' %}new{% when 'changed', 'updated' %}{{ row.name }}"
            + "{% else %}gone{% endcase %}";
    assertThat(field(t, vars())).isEqualTo(NASTY);
    assertThat(field(t, vars("op", "removed"))).isEqualTo("gone");
    assertThat(field("{% case row.age %}{% when 36.0 %}num{% endcase %}", vars())).isEqualTo("num");
  }

  @Test
  void assignKeepsTheValueAndItsType() throws Exception {
    String out =
        render(
            "{% assign n = row.name %}{% assign t = row.tags | first %}{% assign c = row.tags.size %}"
                + "{\"n\": \"{{ n }}\", \"t\": \"{{ t }}\", \"c\": {{ c }}, \"j\": {{ n | json }}}",
            vars());
    JsonNode json = parse(out);
    assertThat(json.get("n").textValue()).isEqualTo(NASTY);
    assertThat(json.get("t").textValue()).isEqualTo(TAGS.get(0));
    assertThat(json.get("c").intValue()).isEqualTo(TAGS.size());
    assertThat(json.get("j").textValue()).isEqualTo(NASTY);
  }

  @Test
  void captureHoldsTheRenderedTextAndIsEscapedOnOutput() throws Exception {
    String t = "{% capture who %}{{ row.name }}/{{ row.tier }}{% endcapture %}{{ who }}";
    assertThat(field(t, vars())).isEqualTo(NASTY + "/gold\"");
    assertThat(
            parse(
                    render(
                        "{% capture who %}{{ row.tier }}{% endcapture %}{\"v\": {{ who | json }}}",
                        vars()))
                .get("v")
                .textValue())
        .isEqualTo("gold\"");
  }

  @Test
  void whitespaceControlAndCommentsLeaveNoTrace() throws Exception {
    String out =
        render(
            "{\n  {%- comment %} ignored \"{% endcomment -%}\n  \"a\": {{ row.age -}}\n  , {%# note %}"
                + "\"b\": \"{% raw %}{{ not rendered }}{% endraw %}\"\n}",
            vars());
    JsonNode json = parse(out);
    assertThat(json.get("a").intValue()).isEqualTo(36);
    assertThat(json.get("b").textValue()).isEqualTo("{{ not rendered }}");
  }

  @Test
  void cycleIncrementAndEchoInJsonMode() throws Exception {
    assertThat(field("{% for t in row.tags %}{% cycle 'a\"', 'b' %}{% endfor %}", vars()))
        .isEqualTo("a\"ba\"ba\"");
    assertThat(field("{% increment c %}{% increment c %}{% decrement d %}", vars()))
        .isEqualTo("01-1");
    assertThat(field("{% echo row.name | append: '!' %}", vars())).isEqualTo(NASTY + "!");
    assertThat(field("{% liquid\n assign x = row.tier | upcase\n echo x\n%}", vars()))
        .isEqualTo("GOLD\"");
  }
}
