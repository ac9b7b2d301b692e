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
  private static final MessageRenderer.RunInfo RUN = new MessageRenderer.RunInfo("r1", "2026-11-28T00:00:00Z");

  private static SyncConfig sync(String template, Optional<String> partitionKey, Optional<String> hashKey) {
    return new SyncConfig("s", "src", "select 1", "id", "dest", "stream", EnumSet.allOf(EventType.class),
        new MessageSpec(MessageSpec.Mode.TEMPLATE, template, null, Map.of()), partitionKey, hashKey,
        SyncConfig.InitialSync.BACKFILL, Optional.empty(), 1024);
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
    assertThat(new String(MessageRenderer.compactJson("{ \"a\" : 12.50,\n \"b\": [ 1e3, 123456789012345678901234567890 ],"
        + " \"c\": \"x  y\" }"), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":12.50,\"b\":[1000,123456789012345678901234567890],\"c\":\"x  y\"}");
    assertThat(new String(MessageRenderer.compactJson(" 42 "), StandardCharsets.UTF_8)).isEqualTo("42");
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

  @Test
  void referencedColumnsAreTheRowNamesInsideMarkupOnly() {
    assertThat(MessageRenderer.referencedColumns(
        "{\"row.id\": {{ row.id }}, \"n\": \"{{ row['full name'] | upcase }}\"{% if row.vip and myrow.x %}{% endif %}}"))
        .containsExactly("id", "full name", "vip");
  }

  @Test
  void templateRendersTheRowOpSyncAndRun() {
    assertThat(data(render(sync("{\"id\": {{ row.id }}, \"op\": \"{{ op }}\", \"sync\": \"{{ sync }}\", "
        + "\"run\": \"{{ run.id }}@{{ run.started_at }}\", \"name\": \"{{ row.name }}\"}", Optional.empty(),
        Optional.empty()), "{\"id\":1,\"name\":\"a \\\"b\\\" \\\\ c\"}")))
        .isEqualTo("{\"id\":1,\"op\":\"changed\",\"sync\":\"s\",\"run\":\"r1@2026-11-28T00:00:00Z\","
            + "\"name\":\"a \\\"b\\\" \\\\ c\"}");
  }

  @Test
  void outputThatIsNotJsonIsRejectedWithWhereItBroke() {
    Rendered r = render(sync("{\"v\": {{ row.v | raw }}}", Optional.empty(), Optional.empty()), "{\"v\":\"oops\"}");
    assertThat(r).isInstanceOf(Rendered.Invalid.class);
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.INVALID_JSON);
    assertThat(((Rendered.Invalid) r).message()).startsWith("the message template's output is not JSON: ")
        .contains("line 1, column");
  }

  @Test
  void aFailingRenderIsATemplateErrorWithTheMessage() {
    Rendered r = render(sync("{\"v\": {{ 1 | divided_by: row.d }}}", Optional.empty(), Optional.empty()), "{\"d\":0}");
    assertThat(r).isInstanceOf(Rendered.Invalid.class);
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.TEMPLATE_ERROR);
    assertThat(((Rendered.Invalid) r).message()).isNotBlank();
  }

  @Test
  void keysAreLiquidWithoutEscapingAndAreValidated() {
    SyncConfig keyed = sync("{}", Optional.of("{{ row.region | upcase }}/\"{{ row.id }}\""), Optional.of("{{ row.h }}"));
    Rendered ok = render(keyed, "{\"id\":1,\"region\":\"eu\",\"h\":\"12\"}");
    assertThat(((Rendered.Record) ok).record().partitionKey()).isEqualTo("EU/\"1\"");
    assertThat(((Rendered.Record) ok).record().explicitHashKey()).contains("12");

    Rendered empty = render(sync("{}", Optional.of("{{ row.region }}"), Optional.empty()), "{\"region\":null}");
    assertThat(((Rendered.Invalid) empty).reason()).isEqualTo(Rejection.INVALID_PARTITION_KEY);
    Rendered tooBig = render(keyed, "{\"id\":1,\"region\":\"eu\",\"h\":\"340282366920938463463374607431768211456\"}");
    assertThat(((Rendered.Invalid) tooBig).reason()).isEqualTo(Rejection.INVALID_EXPLICIT_HASH_KEY);
  }

  @Test
  void aRenderedRecordOverTheSizeLimitIsRejected() {
    Rendered r = render(sync("\"{{ row.s }}\"", Optional.empty(), Optional.empty()), "{\"s\":\"" + "x".repeat(2000) + "\"}");
    assertThat(((Rendered.Invalid) r).reason()).isEqualTo(Rejection.RECORD_TOO_LARGE);
  }
}
