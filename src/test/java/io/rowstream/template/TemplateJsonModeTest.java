package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.core.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON mode: every output stays inside its JSON string; json and raw as the last filter. */
class TemplateJsonModeTest {
  /** Quote, backslash, newline, tab, control characters, a non-BMP emoji, a lone surrogate. */
  static final String NASTY =
      "q\"uote b\\ackslash new\nline t\tab cr\r ctl\u0001\u001f\u007f emoji 😀 end";

  static String render(String template, Map<String, ?> variables) {
    return Template.compile(template, TemplateOptions.json()).render(variables);
  }

  static JsonNode parse(String json) throws Exception {
    JsonNode node = Json.EXACT.readTree(json);
    assertThat(node).as("parsed %s", json).isNotNull();
    return node;
  }

  @Test
  void anOutputInsideAJsonStringStaysValidJsonWhateverTheValueHolds() throws Exception {
    String out = render("{\"name\": \"{{ name }}\"}", Map.of("name", NASTY));
    assertThat(parse(out).get("name").textValue()).isEqualTo(NASTY);
  }

  @Test
  void controlCharactersAreWrittenAsShortEscapesOrUnicodeEscapes() {
    String out = render("{{ s }}", Map.of("s", "\"\\\n\t\r\b\f\u0000\u001f"));
    assertThat(out).isEqualTo("\\\"\\\\\\n\\t\\r\\b\\f\\u0000\\u001f");
  }

  @Test
  void nonBmpCharactersPassThroughAsSurrogatePairsAndEncodeToValidUtf8() throws Exception {
    String out = render("\"{{ s }}\"", Map.of("s", "😀 and 𝄞"));
    assertThat(out).isEqualTo("\"😀 and 𝄞\"");
    byte[] utf8 = out.getBytes(StandardCharsets.UTF_8);
    assertThat(parse(new String(utf8, StandardCharsets.UTF_8)).textValue()).isEqualTo("😀 and 𝄞");
  }

  @Test
  void aLoneSurrogateIsEscapedSoTheTextStaysEncodable() {
    assertThat(render("{{ s }}", Map.of("s", "a\uD83Db"))).isEqualTo("a\\ud83db");
  }

  @Test
  void theJsonFilterLastWritesAJsonValueOfEveryKind() throws Exception {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("s", NASTY);
    row.put("i", 42);
    row.put("l", 9_007_199_254_740_993L);
    row.put("big", new BigInteger("123456789012345678901234567890"));
    row.put("dec", new BigDecimal("12.50"));
    row.put("tiny", new BigDecimal("0.000000000000000000001"));
    row.put("d", 1.5);
    row.put("t", true);
    row.put("n", null);
    row.put("list", Arrays.asList(1, "two", null, List.of(3)));
    row.put("map", Map.of("k", "v\""));
    String out =
        render(
            "{\"s\": {{ row.s | json }}, \"i\": {{ row.i | json }}, \"l\": {{ row.l | json }}, "
                + "\"big\": {{ row.big | json }}, \"dec\": {{ row.dec | json }}, \"tiny\": {{ row.tiny | json }}, "
                + "\"d\": {{ row.d | json }}, \"t\": {{ row.t | json }}, \"n\": {{ row.n | json }}, "
                + "\"missing\": {{ row.nothing | json }}, \"list\": {{ row.list | json }}, \"map\": {{ row.map | json }}}",
            Map.of("row", row));
    assertThat(out)
        .contains(
            "\"dec\": 12.50",
            "\"tiny\": 0.000000000000000000001",
            "\"l\": 9007199254740993",
            "\"big\": 123456789012345678901234567890",
            "\"n\": null",
            "\"missing\": null");
    JsonNode json = parse(out);
    assertThat(json.get("s").textValue()).isEqualTo(NASTY);
    assertThat(json.get("i").intValue()).isEqualTo(42);
    assertThat(json.get("dec").decimalValue()).isEqualTo(new BigDecimal("12.50"));
    assertThat(json.get("d").doubleValue()).isEqualTo(1.5);
    assertThat(json.get("t").booleanValue()).isTrue();
    assertThat(json.get("list").toString()).isEqualTo("[1,\"two\",null,[3]]");
    assertThat(json.get("map").get("k").textValue()).isEqualTo("v\"");
  }

  @Test
  void theJsonFilterWritesAJacksonTreeAsItIs() throws Exception {
    JsonNode row =
        Json.EXACT.readTree("{\"a\": [1, 2.50, {\"b\": \"x\\\"y\"}], \"c\": null, \"d\": false}");
    String out = render("{{ row | json }}", Map.of("row", row));
    assertThat(parse(out)).isEqualTo(row);
    assertThat(out).contains("2.50");
  }

  @Test
  void rawLastWritesTheTextAsItIs() {
    assertThat(render("{{ s | raw }}", Map.of("s", "{\"a\": 1}"))).isEqualTo("{\"a\": 1}");
  }

  @Test
  void inTextModeOutputsAreNotEscapedButJsonStillWritesJson() {
    Template t = Template.compile("{{ s }} {{ s | json }} {{ s | raw }}", TemplateOptions.text());
    assertThat(t.render(Map.of("s", "a\"b"))).isEqualTo("a\"b \"a\\\"b\" a\"b");
  }

  @Test
  void aJsonFilterInTheMiddleOfAChainFeedsTheNextFilterAndIsThenEscaped() throws Exception {
    String out = render("{\"v\": \"{{ row | json | upcase }}\"}", Map.of("row", Map.of("a", "b")));
    assertThat(parse(out).get("v").textValue()).isEqualTo("{\"A\":\"B\"}");
  }

  @Test
  void numbersPrintInLiquidStyle() {
    Map<String, Object> v =
        Map.of("dec", new BigDecimal("12.50"), "d", 1.0, "i", 7, "e", new BigDecimal("1E+3"));
    assertThat(render("{{ dec }} {{ d }} {{ i }} {{ e }} {{ 2.0 }} {{ 10 | divided_by: 4 }}", v))
        .isEqualTo("12.50 1.0 7 1000 2.0 2");
  }

  @Test
  void jacksonLeavesReadAsTheirJavaValues() throws Exception {
    JsonNode row =
        Json.EXACT.readTree(
            "{\"s\": \"x\", \"i\": 3, \"big\": 123456789012345678901234567890, "
                + "\"dec\": 1234.50, \"dbl\": 1e2, \"t\": true, \"n\": null, \"a\": [\"p\", \"q\"]}");
    String out =
        Template.compile(
                "{{ row.s }}|{{ row.i | plus: 1 }}|{{ row.big | plus: 1 }}|{{ row.dec | plus: 1 }}"
                    + "|{% if row.t %}T{% endif %}|{{ row.n | default: 'nil' }}|{{ row.missing | default: 'none' }}"
                    + "|{{ row.a.size }}{{ row.a[1] }}{{ row.a.last }}|{% if row.dec > 1000 %}big{% endif %}",
                TemplateOptions.text())
            .render(Map.of("row", row));
    assertThat(out).isEqualTo("x|4|123456789012345678901234567891|1235.50|T|nil|none|2qq|big");
  }
}
