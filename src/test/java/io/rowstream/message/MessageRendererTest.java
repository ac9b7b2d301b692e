package io.rowstream.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.MessageSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.core.Rejection;
import io.rowstream.plan.PlannedEvent;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageRendererTest {
  private static final MessageRenderer.RunInfo RUN =
      new MessageRenderer.RunInfo("r1", "2026-11-28T00:00:00Z");

  private static SyncConfig sync(
      String template, Optional<String> partitionKey, Optional<String> hashKey) {
    return new SyncConfig(
        "s",
        "src",
        "select 1",
        "id",
        "dest",
        "stream",
        EnumSet.allOf(EventType.class),
        new MessageSpec(MessageSpec.Mode.TEMPLATE, template, null, Map.of()),
        partitionKey,
        hashKey,
        SyncConfig.InitialSync.BACKFILL,
        Optional.empty(),
        1024);
  }

  private static SyncConfig sync(MessageSpec message) {
    return new SyncConfig(
        "s",
        "src",
        "select 1",
        "id",
        "dest",
        "stream",
        EnumSet.allOf(EventType.class),
        message,
        Optional.empty(),
        Optional.empty(),
        SyncConfig.InitialSync.BACKFILL,
        Optional.empty(),
        1024);
  }

  private static Rendered.Invalid invalid(Rendered rendered, String reason) {
    assertThat(rendered).isInstanceOf(Rendered.Invalid.class);
    Rendered.Invalid invalid = (Rendered.Invalid) rendered;
    assertThat(invalid.reason()).isEqualTo(reason);
    assertThat(invalid.message()).doesNotContain("com.fasterxml", "Source:", "jackson", "\n");
    return invalid;
  }

  private static Rendered render(SyncConfig sync, String row) {
    return MessageRenderer.forRun(sync, RUN).render(new PlannedEvent(EventType.CHANGED, "1", row));
  }

  private static String data(Rendered rendered) {
    assertThat(rendered).isInstanceOf(Rendered.Record.class);
    return new String(((Rendered.Record) rendered).record().data(), StandardCharsets.UTF_8);
  }

  @Test
  void compactJsonRemovesWhitespaceAndKeepsNumbersExactly() {
    assertThat(
            new String(
                MessageRenderer.compactJson(
                    "{ \"a\" : 12.50,\n \"b\": [ 1e3, 123456789012345678901234567890 ],"
                        + " \"c\": \"x  y\" }"),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":12.50,\"b\":[1000,123456789012345678901234567890],\"c\":\"x  y\"}");
    assertThat(new String(MessageRenderer.compactJson(" 42 "), StandardCharsets.UTF_8))
        .isEqualTo("42");
  }

  @Test
  void compactJsonRefusesWhatIsNotExactlyOneJsonValue() {
    assertThat(MessageRenderer.compactJson("")).isNull();
    assertThat(MessageRenderer.compactJson("{\"a\": 1} {\"b\": 2}")).isNull();
    assertThat(MessageRenderer.compactJson("{\"a\": 1, \"a\": 2}")).as("a repeated key").isNull();
    assertThat(MessageRenderer.compactJson("{\"a\": }")).isNull();
    assertThat(MessageRenderer.compactJson("{\"a\": 1")).isNull();
    assertThat(MessageRenderer.compactJson("NaN")).isNull();
  }

  private static java.util.List<String> columns(String template) {
    return MessageRenderer.forRun(sync(template, Optional.empty(), Optional.empty()), RUN)
        .requiredColumns();
  }

  @Test
  void requiredColumnsAreTheRowKeysTheTemplateReadsNotTextThatLooksLikeThem() {
    assertThat(
            columns(
                "{\"row.id\": {{ row.id }}, \"n\": \"{{ row['full name'] | upcase }}\"{% if row.vip and myrow.x %}{% endif %}}"))
        .containsExactly("id", "full name", "vip");
  }

  @Test
  void aStringLiteralThatSpellsARowColumnRequiresNoColumn() {
    assertThat(columns("{\"v\": \"{{ \"row.secret\" }}\", \"w\": {{ 'row[\"other\"]' | json }}}"))
        .isEmpty();
  }

  @Test
  void columnsReadThroughAssignCaptureAndLoopAliasesAreRequired() {
    assertThat(columns("{% assign r = row %}{\"e\": \"{{ r.email }}\"}")).containsExactly("email");
    assertThat(
            columns(
                "{% assign a = row.address | default: nil %}{% assign b = a %}"
                    + "{\"c\": \"{{ b.city }}\"}"))
        .containsExactly("address");
    assertThat(
            columns(
                "{% for t in row.tags %}{% capture x %}{{ t.name }}{% endcapture %}{% endfor %}"
                    + "{\"n\": \"{{ self.row.name }}\"}"))
        .containsExactly("tags", "name");
  }

  @Test
  void aTemplateThatReadsTheWholeRowRequiresNoSpecificColumn() {
    assertThat(columns("{\"row\": {{ row | json }}, \"n\": {{ row.size }}}")).isEmpty();
    assertThat(columns("{% for pair in row %}{{ pair[0] }}{% endfor %}{}")).isEmpty();
  }

  @Test
  void theKeyTemplatesAddTheirColumnsToo() {
    SyncConfig sync =
        sync("{}", Optional.of("{{ row.region }}-{{ row.id }}"), Optional.of("{{ row.hash }}"));
    assertThat(MessageRenderer.forRun(sync, RUN).requiredColumns())
        .containsExactly("region", "id", "hash");
  }

  @Test
  void aNegativeZeroDoubleKeepsItsSignThroughJsonAndText() {
    SyncConfig sync =
        sync(
            "{\"d\": {{ row.d | json }}, \"t\": \"{{ row.d }}\", \"l\": {{ row.l | json }}, "
                + "\"z\": {{ row.z | json }}, \"x\": {{ row.x | json }}}",
            Optional.empty(),
            Optional.empty());
    assertThat(data(render(sync, "{\"d\":-0.0,\"l\":[-0.0,-0e0,1.50],\"z\":0.0,\"x\":\"-0.0\"}")))
        .isEqualTo("{\"d\":-0.0,\"t\":\"-0.0\",\"l\":[-0.0,-0.0,1.50],\"z\":0.0,\"x\":\"-0.0\"}");
  }

  @Test
  void nonFiniteDoublesAreTheJsonStringsNanAndInfinity() {
    // the row encoder writes them as JSON strings; a computed one is written the same way by | json
    SyncConfig sync =
        sync(
            "{\"n\": {{ row.n | json }}, \"i\": {{ row.i | json }}, "
                + "\"c\": {{ 1.0 | divided_by: 0 | json }}, \"m\": {{ -1.0 | divided_by: row.zero | json }}}",
            Optional.empty(),
            Optional.empty());
    assertThat(data(render(sync, "{\"n\":\"NaN\",\"i\":\"-Infinity\",\"zero\":0}")))
        .isEqualTo("{\"n\":\"NaN\",\"i\":\"-Infinity\",\"c\":\"Infinity\",\"m\":\"-Infinity\"}");
  }

  @Test
  void templateRendersTheRowOpSyncAndRun() {
    assertThat(
            data(
                render(
                    sync(
                        "{\"id\": {{ row.id }}, \"op\": \"{{ op }}\", \"sync\": \"{{ sync }}\", "
                            + "\"run\": \"{{ run.id }}@{{ run.started_at }}\", \"name\": \"{{ row.name }}\"}",
                        Optional.empty(),
                        Optional.empty()),
                    "{\"id\":1,\"name\":\"a \\\"b\\\" \\\\ c\"}")))
        .isEqualTo(
            "{\"id\":1,\"op\":\"changed\",\"sync\":\"s\",\"run\":\"r1@2026-11-28T00:00:00Z\","
                + "\"name\":\"a \\\"b\\\" \\\\ c\"}");
  }

  @Test
  void outputThatIsNotJsonIsRejectedWithWhereItBroke() {
    Rendered r =
        render(
            sync("{\"v\": {{ row.v | raw }}}", Optional.empty(), Optional.empty()),
            "{\"v\":\"oops\"}");
    assertThat(r).isInstanceOf(Rendered.Invalid.class);
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.INVALID_JSON);
    assertThat(((Rendered.Invalid) r).message())
        .startsWith("the message template's output is not JSON: ")
        .contains("line 1, column");
  }

  @Test
  void aFailingRenderIsATemplateErrorWithTheMessage() {
    Rendered r =
        render(
            sync("{\"v\": {{ 1 | divided_by: row.d }}}", Optional.empty(), Optional.empty()),
            "{\"d\":0}");
    assertThat(r).isInstanceOf(Rendered.Invalid.class);
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.TEMPLATE_ERROR);
    assertThat(((Rendered.Invalid) r).message()).isNotBlank();
  }

  @Test
  void keysAreLiquidWithoutEscapingAndAreValidated() {
    SyncConfig keyed =
        sync(
            "{}",
            Optional.of("{{ row.region | upcase }}/\"{{ row.id }}\""),
            Optional.of("{{ row.h }}"));
    Rendered ok = render(keyed, "{\"id\":1,\"region\":\"eu\",\"h\":\"12\"}");
    assertThat(((Rendered.Record) ok).record().partitionKey()).isEqualTo("EU/\"1\"");
    assertThat(((Rendered.Record) ok).record().explicitHashKey()).contains("12");

    Rendered empty =
        render(sync("{}", Optional.of("{{ row.region }}"), Optional.empty()), "{\"region\":null}");
    assertThat(((Rendered.Invalid) empty).reason()).isEqualTo(Rejection.INVALID_PARTITION_KEY);
    Rendered tooBig =
        render(
            keyed,
            "{\"id\":1,\"region\":\"eu\",\"h\":\"340282366920938463463374607431768211456\"}");
    assertThat(((Rendered.Invalid) tooBig).reason()).isEqualTo(Rejection.INVALID_EXPLICIT_HASH_KEY);
  }

  @Test
  void aRenderedRecordOverTheSizeLimitIsRejected() {
    Rendered r =
        render(
            sync("\"{{ row.s }}\"", Optional.empty(), Optional.empty()),
            "{\"s\":\"" + "x".repeat(2000) + "\"}");
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.RECORD_TOO_LARGE);
  }

  @Test
  void aColumnHoldingTwoJsonValuesIsRejectedWithWhereTheSecondStarts() {
    Rendered r =
        render(
            sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":\"{\\\"a\\\":1} {\\\"b\\\":2}\"}");
    assertThat(invalid(r, Rejection.INVALID_JSON).message())
        .isEqualTo(
            "column 'doc' does not hold exactly one JSON value without repeated keys: more than one"
                + " JSON value (another one starts at line 1, column 9) of its text");
  }

  @Test
  void aColumnWhoseJsonRepeatsAKeyIsRejectedWithThePath() {
    Rendered text =
        render(
            sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":\"{\\\"a\\\":1,\\n\\\"a\\\":2}\"}");
    assertThat(invalid(text, Rejection.INVALID_JSON).message())
        .isEqualTo(
            "column 'doc' does not hold exactly one JSON value without repeated keys: an object repeats"
                + " the key \"a\" at $ (line 2, column 1) of its text");
    Rendered json =
        render(sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":{\"x\":[{\"a\":1,\"a\":2}]}}");
    assertThat(invalid(json, Rejection.INVALID_JSON).message())
        .isEqualTo(
            "column 'doc': an object repeats the key \"a\" at $.x[0] (character 14 of the value)");
  }

  @Test
  void aColumnThatIsNotJsonIsRejectedWithThePositionAndWithoutParserInternals() {
    for (String bad : new String[] {"{\\\"a\\\": }", "{\\\"a\\\": 1", "oops", "", "NaN"}) {
      Rendered r = render(sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":\"" + bad + "\"}");
      assertThat(invalid(r, Rejection.INVALID_JSON).message())
          .as(bad)
          .startsWith("column 'doc' does not hold exactly one JSON value")
          .containsAnyOf("line 1, column", "it is empty");
    }
    assertThat(
            invalid(
                    render(sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":null}"),
                    Rejection.INVALID_JSON)
                .message())
        .isEqualTo("column 'doc' is null; it must hold the JSON document to send");
  }

  @Test
  void aColumnHoldingOneJsonDocumentIsSentCompactWithNumbersAsWritten() {
    assertThat(
            data(
                render(
                    sync(MessageSpec.column("doc")),
                    "{\"id\":1,\"doc\":\"{ \\\"a\\\" : 2.50, \\\"z\\\": -0.0 }\"}")))
        .isEqualTo("{\"a\":2.50,\"z\":-0.0}");
    assertThat(
            data(render(sync(MessageSpec.column("doc")), "{\"id\":1,\"doc\":{\"a\":[2.50,-0.0]}}")))
        .isEqualTo("{\"a\":[2.50,-0.0]}");
  }

  @Test
  void aLoneSurrogateIsRejectedAsInvalidTextNamingTheColumnInEveryMode() {
    String row = "{\"id\":1,\"ok\":\"fine \uD83D\uDE00\",\"s\":{\"a\":[\"x\",\"\\ud800\"]}}";
    assertThat(
            invalid(render(sync(MessageSpec.allColumns()), row), Rejection.INVALID_TEXT).message())
        .isEqualTo(
            "column 's': a text holds a lone UTF-16 surrogate (\\ud800) at $.a[1] (character 11 of the value)");
    assertThat(
            invalid(
                    render(sync(MessageSpec.columns(Map.of("v", "s"))), row),
                    Rejection.INVALID_TEXT)
                .message())
        .startsWith("column 's': a text holds a lone UTF-16 surrogate");
    assertThat(
            invalid(render(sync(MessageSpec.column("s")), row), Rejection.INVALID_TEXT).message())
        .startsWith("column 's': a text holds a lone UTF-16 surrogate");
    String inText = "{\"id\":1,\"doc\":\"{\\\"s\\\":\\\"\\\\ud800\\\"}\"}";
    assertThat(
            invalid(render(sync(MessageSpec.column("doc")), inText), Rejection.INVALID_TEXT)
                .message())
        .isEqualTo(
            "column 'doc' does not hold exactly one JSON value without repeated keys: a text holds a lone"
                + " UTF-16 surrogate (\\ud800) at $.s (line 1, column 6) of its text");
    Rendered template =
        render(sync("{\"v\": \"{{ row.s.a[1] }}\"}", Optional.empty(), Optional.empty()), row);
    assertThat(invalid(template, Rejection.INVALID_TEXT).message())
        .startsWith(
            "the message template's output: a text holds a lone UTF-16 surrogate (\\ud800) at $.v");
    assertThat(data(render(sync(MessageSpec.columns(Map.of("v", "ok"))), row)))
        .isEqualTo("{\"v\":\"fine \uD83D\uDE00\"}");
  }

  @Test
  void everyColumnModeRejectsAJsonColumnThatRepeatsAKeyAndSendsOtherRowsAsTheyAre() {
    assertThat(
            invalid(
                    render(sync(MessageSpec.allColumns()), "{\"id\":1,\"j\":{\"a\":1,\"a\":2}}"),
                    Rejection.INVALID_JSON)
                .message())
        .isEqualTo("column 'j': an object repeats the key \"a\" at $ (character 8 of the value)");
    String clean =
        "{\"id\":1,\"t\":\"{not json} \\u0007 \\\\ud800\",\"j\":{\"a\":1,\"b\":{\"a\":2}},\"d\":-0.0}";
    assertThat(data(render(sync(MessageSpec.allColumns()), clean))).isEqualTo(clean);
  }

  @Test
  void columnsModeKeepsNumbersAsTheSourceWroteThem() {
    assertThat(
            data(
                render(
                    sync(MessageSpec.columns(new java.util.LinkedHashMap<>(Map.of("x", "d")))),
                    "{\"id\":1,\"d\":-0.0,\"p\":2.50,\"n\":\"NaN\"}")))
        .isEqualTo("{\"x\":-0.0}");
    assertThat(
            invalid(
                    render(
                        sync(MessageSpec.columns(Map.of("x", "j"))),
                        "{\"id\":1,\"j\":{\"a\":1,\"a\":2}}"),
                    Rejection.INVALID_JSON)
                .message())
        .startsWith("column 'j': an object repeats the key \"a\"");
    assertThat(
            invalid(
                    render(sync(MessageSpec.columns(Map.of("x", "nope"))), "{\"id\":1}"),
                    Rejection.MISSING_COLUMN)
                .message())
        .isEqualTo("the row has no column nope");
  }
}
