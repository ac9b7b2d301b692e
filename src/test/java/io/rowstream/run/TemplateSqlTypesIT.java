package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.core.EventType;
import io.rowstream.core.Json;
import io.rowstream.message.Rendered;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL type of SPEC §4.7, from DuckDB and PostgreSQL, through a message template: as a string
 * ({@code "{{ x }}"}), as a JSON value ({@code {{ x | json }}}) and through filters.
 */
class TemplateSqlTypesIT {
  private static final String TEMPLATE =
      """
      {"i": {{ row.i }}, "big": {{ row.big }}, "d": {{ row.d }}, "d_json": {{ row.d | json }},
       "d_plus": {{ row.d | plus: 1 }}, "f": {{ row.f }}, "b": {{ row.b }}, "b_text": "{{ row.b }}",
       "n": {{ row.n | json }}, "n_text": "{{ row.n }}", "n_default": "{{ row.n | default: 'none' }}",
       "dt": "{{ row.dt }}", "ts": "{{ row.ts }}", "tstz": "{{ row.tstz }}",
       "tstz_fmt": "{{ row.tstz | date: '%Y-%m-%d %H:%M' }}", "doc": {{ row.doc | json }},
       "doc_name": "{{ row.doc.name }}", "list": {{ row.list | json }}, "first": {{ row.list | first }},
       "size": {{ row.list | size }}, "joined": "{{ row.list | join: '|' }}", "bin": "{{ row.bin }}",
       "u": "{{ row.u }}", "text": "{{ row.text }}", "text_json": {{ row.text | json }},
       "text_up": "{{ row.text | upcase }}"}""";

  private static final String TEXT = "q\"uote \\ back\nline\u0001 \uD83D\uDE00";

  private static EmbeddedPostgres postgres;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void everyDuckDbTypeRendersAsItsJsonMeaning() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(
          """
          create table t as select 1::integer i, 170141183460469231731687303715884105727::hugeint big,
            12.50::decimal(10,2) d, 0.25::double f, true b, null::varchar n, date '2026-01-02' dt,
            timestamp '2026-01-02 03:04:05' ts, timestamptz '2026-01-02 03:04:05+02' tstz,
            '{"name": "A\\"b", "k": [1, 2]}'::json doc, [1, 2, 3] list, '\\xAA\\xBB'::blob bin,
            'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u,
            'q"uote \\ back' || chr(10) || 'line' || chr(1) || ' ' || chr(128512) as text""");
    }
    assertTypes(
        render("type: duckdb\n    path: model.duckdb"), "170141183460469231731687303715884105727");
  }

  @Test
  void everyPostgresTypeRendersAsItsJsonMeaning() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop table if exists t");
      s.execute(
          """
          create table t as select 1::int4 i, 9223372036854775807::int8 big,
            12.50::numeric(10,2) d, 0.25::float8 f, true b, null::text n, date '2026-01-02' dt,
            timestamp '2026-01-02 03:04:05' ts, timestamptz '2026-01-02 03:04:05+02' tstz,
            '{"name": "A\\"b", "k": [1, 2]}'::jsonb doc, array[1, 2, 3] list, '\\xAABB'::bytea bin,
            'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u,
            'q"uote \\ back' || chr(10) || 'line' || chr(1) || ' ' || chr(128512) as text""");
    }
    String url = postgres.getJdbcUrl("postgres", "postgres");
    assertTypes(
        render("type: postgres\n    url: \"" + url + "\"\n    user: postgres"),
        "9223372036854775807");
  }

  private void assertTypes(String data, String big) throws IOException {
    JsonNode o = Json.EXACT.readTree(data);
    assertThat(data)
        .contains("\"big\":" + big + ",", "\"d\":12.50,", "\"d_json\":12.50,", "\"f\":0.25,");
    assertThat(o.get("i").asInt()).isEqualTo(1);
    assertThat(o.get("d_plus").decimalValue()).isEqualByComparingTo("13.50");
    assertThat(o.get("b").asBoolean()).isTrue();
    assertThat(o.get("b_text").asText()).isEqualTo("true");
    assertThat(o.get("n").isNull()).isTrue();
    assertThat(o.get("n_text").asText()).isEmpty();
    assertThat(o.get("n_default").asText()).isEqualTo("none");
    assertThat(o.get("dt").asText()).isEqualTo("2026-01-02");
    assertThat(o.get("ts").asText()).isEqualTo("2026-01-02T03:04:05");
    assertThat(o.get("tstz").asText()).isEqualTo("2026-01-02T01:04:05Z");
    assertThat(o.get("tstz_fmt").asText()).isEqualTo("2026-01-02 01:04");
    assertThat(o.get("doc"))
        .as("jsonb orders keys its own way")
        .isEqualTo(Json.EXACT.readTree("{\"name\":\"A\\\"b\",\"k\":[1,2]}"));
    assertThat(o.get("doc_name").asText()).isEqualTo("A\"b");
    assertThat(o.get("list").toString()).isEqualTo("[1,2,3]");
    assertThat(o.get("first").asInt()).isEqualTo(1);
    assertThat(o.get("size").asInt()).isEqualTo(3);
    assertThat(o.get("joined").asText()).isEqualTo("1|2|3");
    assertThat(o.get("bin").asText()).isEqualTo("qrs=");
    assertThat(o.get("u").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(o.get("text").asText()).isEqualTo(TEXT);
    assertThat(o.get("text_json").asText()).isEqualTo(TEXT);
    assertThat(o.get("text_up").asText()).isEqualTo(TEXT.toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void duckDbValuesFollowTheEncodingRulesInEveryMessageMode() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(
          """
          create table t as select 1 i, date '0044-03-15 (BC)' bc, date '1582-10-10' gap,
            'infinity'::date inf, '-infinity'::timestamp ntinf,
            [date '1582-10-10', 'infinity'::date] dl, -0.0::double nz, 'nan'::double nan,
            [-0.0::double, '-inf'::double] fl, '{"a": 1, "a": 2}'::json rep,
            '{"s": "\\uD800"}' txt, '{"a": 1} {"b": 2}' two""");
    }
    String source = "type: duckdb\n    path: model.duckdb";
    assertThat(data(preview(source, "columns: [bc, gap, inf, ntinf, dl, nz, nan, fl]")))
        .isEqualTo(
            """
        {"bc":"-0043-03-15","gap":"1582-10-10","inf":"infinity","ntinf":"-infinity",\
        "dl":["1582-10-10","infinity"],"nz":-0.0,"nan":"NaN","fl":[-0.0,"-Infinity"]}""");
    assertInvalid(
        preview(source, null),
        "invalid_json",
        "column 'rep': an object repeats the key \"a\" at $ (character 8 of the value)");
    assertInvalid(
        preview(source, "columns: {x: rep}"),
        "invalid_json",
        "column 'rep': an object repeats the key \"a\" at $ (character 8 of the value)");
    assertInvalid(
        preview(source, "column: rep"),
        "invalid_json",
        "column 'rep': an object repeats the key \"a\" at $ (character 8 of the value)");
    assertInvalid(
        preview(source, "column: txt"),
        "invalid_text",
        "column 'txt' does not hold exactly one JSON"
            + " value without repeated keys: a text holds a lone UTF-16 surrogate (\\ud800) at $.s (line 1, column 7)"
            + " of its text");
    assertInvalid(
        preview(source, "column: two"),
        "invalid_json",
        "column 'two' does not hold exactly one JSON"
            + " value without repeated keys: more than one JSON value (another one starts at line 1, column 10)"
            + " of its text");
  }

  @Test
  void postgresJsonWithALoneSurrogateIsRejectedAsInvalidTextInEveryMessageMode() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop table if exists t");
      s.execute(
          """
          create table t as select 1::int4 i, '{"s": "\\ud800"}'::json doc,
            '{"s": "\\ud800"}'::text txt, -0.0::float8 nz, 'Infinity'::numeric inf""");
    }
    String source =
        "type: postgres\n    url: \""
            + postgres.getJdbcUrl("postgres", "postgres")
            + "\"\n    user: postgres";
    String lone =
        "column 'doc': a text holds a lone UTF-16 surrogate (\\ud800) at $.s (character 6 of the value)";
    assertInvalid(preview(source, null), "invalid_text", lone);
    assertInvalid(preview(source, "columns: [i, doc]"), "invalid_text", lone);
    assertInvalid(preview(source, "column: doc"), "invalid_text", lone);
    assertInvalid(
        preview(source, "column: txt"),
        "invalid_text",
        "column 'txt' does not hold exactly one JSON"
            + " value without repeated keys: a text holds a lone UTF-16 surrogate (\\ud800) at $.s (line 1, column 7)"
            + " of its text");
    assertInvalid(
        preview(source, "template: '{\"s\": {{ row.doc.s | json }}}'"), "invalid_text", null);
    assertThat(data(preview(source, "columns: [i, nz, inf]")))
        .isEqualTo(
            """
        {"i":1,"nz":-0.0,"inf":"Infinity"}""");
  }

  private static void assertInvalid(Rendered rendered, String reason, String message) {
    assertThat(rendered).isInstanceOf(Rendered.Invalid.class);
    assertThat(((Rendered.Invalid) rendered).reason()).isEqualTo(reason);
    if (message != null) {
      assertThat(((Rendered.Invalid) rendered).message()).isEqualTo(message);
    }
  }

  private static String data(Rendered rendered) {
    assertThat(rendered).isInstanceOf(Rendered.Record.class);
    return new String(((Rendered.Record) rendered).record().data(), StandardCharsets.UTF_8);
  }

  /** The first row of table t through the message the YAML names (null: every column). */
  private Rendered preview(String sourceYaml, String messageYaml) throws IOException {
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources:
          m:
            %s
        destinations: {k: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:1"}}
        syncs:
          t:
            source: m
            table: t
            primary_key: i
            destination: k
            stream: s
        %s"""
            .formatted(
                sourceYaml,
                messageYaml == null ? "" : "    message:\n      " + messageYaml + "\n"));
    ConfigResult config = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(config.problems()).isEmpty();
    Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
    return new Preview(config.config().orElseThrow(), clock)
        .render("t", 1, EventType.ADDED)
        .get(0)
        .rendered();
  }

  private String render(String sourceYaml) throws IOException {
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources:
          m:
            %s
        destinations: {k: {type: kinesis, region: us-east-1, endpoint: "http://127.0.0.1:1"}}
        syncs:
          t:
            source: m
            table: t
            primary_key: i
            destination: k
            stream: s
            message:
              template: |
        %s
        """
            .formatted(sourceYaml, TEMPLATE.indent(8).stripTrailing()));
    ConfigResult config = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(config.problems()).isEmpty();
    Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
    Rendered rendered =
        new Preview(config.config().orElseThrow(), clock)
            .render("t", 1, EventType.ADDED)
            .get(0)
            .rendered();
    assertThat(rendered).isInstanceOf(Rendered.Record.class);
    return new String(((Rendered.Record) rendered).record().data(), StandardCharsets.UTF_8);
  }
}
