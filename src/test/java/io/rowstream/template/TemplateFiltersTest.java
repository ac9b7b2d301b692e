package io.rowstream.template;

import static io.rowstream.template.TemplateJsonModeTest.parse;
import static io.rowstream.template.TemplateJsonModeTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.core.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The filters users reach for in message payloads, each in JSON mode with values that hold quotes,
 * backslashes, newlines, control characters and non-BMP characters: the output must parse as JSON
 * and hold exactly the expected value.
 */
class TemplateFiltersTest {
  private static final Map<String, Object> ROW = row();

  private static Map<String, Object> row() {
    try {
      JsonNode row =
          Json.EXACT.readTree(
              """
          {"name": "Zoë \\"Z\\" O'Neil\\\\\\n\\t\\u0001😀", "words": "a,\\"b\\",c\\\\,😀",
           "tags": ["x\\"y", "back\\\\slash", "new\\nline", "😀"], "balance": 1234.50, "n": -7,
           "f": 2.5, "empty": "", "nothing": null, "at": "2026-01-01T00:37:00.123456Z",
           "at_offset": "2026-01-01T00:37:00+02:00", "day": "2026-01-01"}
          """);
      return Map.of("row", row);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name() {
    return "Zoë \"Z\" O'Neil\\\n\t\u0001😀";
  }

  /** Renders {@code {"v": "<expr>"}} in JSON mode and returns the parsed string. */
  private static String string(String output) throws Exception {
    String out = render("{\"v\": \"" + output + "\"}", ROW);
    return parse(out).get("v").textValue();
  }

  /** Renders {@code {"v": <expr>}} in JSON mode and returns the parsed value. */
  private static JsonNode value(String output) throws Exception {
    return parse(render("{\"v\": " + output + "}", ROW)).get("v");
  }

  @Test
  void upcaseAndDowncaseKeepEveryOtherCharacter() throws Exception {
    assertThat(string("{{ row.name | upcase }}")).isEqualTo(name().toUpperCase(Locale.ROOT));
    assertThat(string("{{ row.name | downcase }}")).isEqualTo(name().toLowerCase(Locale.ROOT));
  }

  @Test
  void escapeWritesHtmlEntitiesAndStaysValidJson() throws Exception {
    assertThat(string("{{ row.name | escape }}"))
        .isEqualTo("Zoë &quot;Z&quot; O&#39;Neil\\\n\t\u0001😀");
  }

  @Test
  void splitThenJoinAndSize() throws Exception {
    assertThat(string("{{ row.words | split: ',' | join: '|' }}")).isEqualTo("a|\"b\"|c\\|😀");
    assertThat(value("{{ row.words | split: ',' | size }}").intValue()).isEqualTo(4);
    assertThat(value("{{ row.words | split: ',' | json }}").toString())
        .isEqualTo(Json.EXACT.writeValueAsString(List.of("a", "\"b\"", "c\\", "😀")));
    assertThat(value("{{ row.tags | size }}").intValue()).isEqualTo(4);
    assertThat(string("{{ row.tags | join: ', ' }}")).isEqualTo("x\"y, back\\slash, new\nline, 😀");
    assertThat(value("{{ row.name | size }}").intValue())
        .isEqualTo(name().codePointCount(0, name().length()));
  }

  @Test
  void defaultReplacesNilEmptyAndFalseOnly() throws Exception {
    assertThat(string("{{ row.nothing | default: row.name }}")).isEqualTo(name());
    assertThat(string("{{ row.empty | default: row.name }}")).isEqualTo(name());
    assertThat(string("{{ row.missing | default: 'n/a' }}")).isEqualTo("n/a");
    assertThat(string("{{ row.name | default: 'n/a' }}")).isEqualTo(name());
    assertThat(string("{{ false | default: 'x', allow_false: true }}")).isEqualTo("false");
    assertThat(value("{{ row.nothing | default: 0 }}").intValue()).isZero();
  }

  @Test
  void jsonWritesStringsNumbersListsAndNullExactly() throws Exception {
    assertThat(value("{{ row.name | json }}").textValue()).isEqualTo(name());
    assertThat(value("{{ row.balance | json }}").decimalValue())
        .isEqualTo(new BigDecimal("1234.50"));
    assertThat(render("{{ row.balance | json }}", ROW)).isEqualTo("1234.50");
    assertThat(value("{{ row.tags | json }}").toString())
        .isEqualTo(
            Json.EXACT.writeValueAsString(List.of("x\"y", "back\\slash", "new\nline", "😀")));
    assertThat(value("{{ row.nothing | json }}").isNull()).isTrue();
  }

  @Test
  void dateReadsIsoTimestampsDatesAndOffsetsAndWritesStrftime() throws Exception {
    assertThat(string("{{ row.at | date: '%Y-%m-%d %H:%M:%S.%L %z %Z' }}"))
        .isEqualTo("2026-01-01 00:37:00.123 +0000 UTC");
    assertThat(string("{{ row.at | date: '%F %T.%6N %j %a %A %b %B %e %-d %I %p %y %s %%' }}"))
        .isEqualTo(
            "2026-01-01 00:37:00.123456 001 Thu Thursday Jan January  1 1 12 AM 26 1767227820 %");
    assertThat(string("{{ row.at_offset | date: '%H:%M %z' }}")).isEqualTo("00:37 +0200");
    assertThat(string("{{ row.day | date: '%d/%m/%Y' }}")).isEqualTo("01/01/2026");
    assertThat(string("{{ 1767227820 | date: '%Y-%m-%dT%H:%M:%SZ' }}"))
        .isEqualTo("2026-01-01T00:37:00Z");
    assertThat(string("{{ row.at | date: row.name }}")).isEqualTo(name());
  }

  @Test
  void dateNowReadsTheClockOfTheOptions() {
    Clock fixed = Clock.fixed(Instant.parse("2030-05-06T07:08:09Z"), ZoneOffset.UTC);
    Template t =
        Template.compile(
            "{{ 'now' | date: '%Y-%m-%d %H:%M' }}", TemplateOptions.json().withClock(fixed));
    assertThat(t.render(Map.of())).isEqualTo("2030-05-06 07:08");
  }

  @Test
  void mathFiltersKeepIntegersIntegersAndDecimalsExact() throws Exception {
    assertThat(
            render(
                "{{ row.n | plus: 10 }} {{ row.n | minus: 3 }} {{ row.n | times: 2 }} "
                    + "{{ row.n | divided_by: 2 }} {{ row.n | modulo: 3 }} {{ row.n | abs }}",
                ROW))
        .isEqualTo("3 -10 -14 -4 2 7");
    assertThat(
            render(
                "{{ row.balance | plus: 0.25 }} {{ row.balance | times: 2 }} {{ row.balance | round }} "
                    + "{{ row.balance | round: 1 }} {{ row.balance | ceil }} {{ row.balance | floor }} "
                    + "{{ row.balance | divided_by: 2 }} {{ row.balance | modulo: 1000 }}",
                ROW))
        .isEqualTo("1234.75 2469.00 1235 1234.5 1235 1234 617.25 234.50");
    assertThat(
            render(
                "{{ row.f | times: 3 }} {{ 7 | divided_by: 2.0 }} {{ 10.1 | minus: 2.2 }} {{ 3.7 | round }}",
                ROW))
        .isEqualTo("7.5 3.5 7.9 4");
    JsonNode sum = value("{{ row.balance | plus: 1 | json }}");
    assertThat(sum.decimalValue()).isEqualTo(new BigDecimal("1235.50"));
  }

  @Test
  void mathOnStringsFromTheRowStaysInsideTheJsonString() throws Exception {
    assertThat(string("{{ '5' | plus: 2 }}{{ row.name | plus: 1 }}")).isEqualTo("71");
  }

  @Test
  void dividingByZeroIsARenderErrorNamingTheFilter() {
    Template t = Template.compile("{\"v\": {{ row.n | divided_by: 0 }}}", TemplateOptions.json());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.render(ROW))
        .isInstanceOf(TemplateRenderException.class)
        .hasMessage("line 1, column 7: divided_by: cannot divide -7 by zero");
  }

  @Test
  void stringFiltersOnNastyValues() throws Exception {
    assertThat(string("{{ row.name | append: row.name | size }}"))
        .isEqualTo(String.valueOf(2 * name().codePointCount(0, name().length())));
    assertThat(string("{{ row.name | replace: '\"', \"'\" }}"))
        .isEqualTo(name().replace('"', '\''));
    assertThat(string("{{ row.name | truncate: 5 }}")).isEqualTo("Zo...");
    assertThat(string("{{ row.name | slice: -1 }}")).isEqualTo("😀");
    assertThat(string("{{ row.tags | first }}{{ row.tags | last }}")).isEqualTo("x\"y😀");
    assertThat(string("{{ row.name | url_encode }}"))
        .isEqualTo("Zo%C3%AB+%22Z%22+O%27Neil%5C%0A%09%01%F0%9F%98%80");
    assertThat(string("{{ row.name | base64_encode | base64_decode }}")).isEqualTo(name());
  }
}
