package io.rowstream.run;

import static io.rowstream.run.SyncScenarios.assertCounts;
import static io.rowstream.run.SyncScenarios.countPerKey;
import static io.rowstream.run.SyncScenarios.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.cli.Main;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message templates end to end: the seed project's template, per-row template failures, keys,
 * preview.
 */
class TemplateSyncIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  private static KinesisEmulator kinesis() {
    return EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
  }

  private static String newStream(int shards) {
    String name = "template-" + System.nanoTime() % 1_000_000_000;
    kinesis().createStream(name, shards);
    return name;
  }

  private static Project.Result cli(Path dir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--config";
    full[args.length + 1] = dir.resolve("rowstream.yaml").toString();
    int code = Main.execute(full, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Project.Result(code, out.toString(), err.toString());
  }

  @Test
  void theSeedTemplateLandsValidJsonForEveryRowIncludingQuotesAndBackslashes() throws IOException {
    String stream = newStream(2);
    assertThat(
            Main.execute(
                new String[] {"init", dir.toString(), "--endpoint", kinesis().endpoint()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))
        .isZero();
    Path config = dir.resolve("rowstream.yaml");
    Files.writeString(
        config, Files.readString(config).replace("stream: customer-events", "stream: " + stream));

    Project.Result run = cli(dir, "run", "customers", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertCounts(parse(run.out()), "added", 1000, 1000, 0);

    List<LandedRecord> landed = kinesis().readAll(stream);
    assertThat(landed).hasSize(1000);
    assertThat(countPerKey(landed).values()).containsOnly(1L);
    Map<String, JsonNode> byKey =
        landed.stream().collect(Collectors.toMap(LandedRecord::partitionKey, r -> parse(r.data())));
    JsonNode ada = byKey.get("7");
    assertThat(ada.get("contact_info").get("name").asText()).isEqualTo("Ada \"Countess\" Lovelace");
    assertThat(ada.get("contact_info").get("first_name").asText()).isEqualTo("Ada");
    assertThat(byKey.get("8").get("contact_info").get("name").asText())
        .isEqualTo("C:\\new\\folder Bob");
    JsonNode thirty = byKey.get("30");
    assertThat(thirty.get("event").asText()).isEqualTo("added");
    assertThat(thirty.get("sync").asText()).isEqualTo("customers");
    assertThat(thirty.get("customer_id").asInt()).isEqualTo(30);
    assertThat(thirty.get("contact_info").get("segment").asText()).isEqualTo("vip");
    assertThat(thirty.get("contact_info").get("tags").toString()).isEqualTo("[\"GOLD\",\"EARLY\"]");
    assertThat(
            landed.stream()
                .filter(r -> r.partitionKey().equals("30"))
                .findFirst()
                .orElseThrow()
                .data())
        .as("decimals stay exact")
        .contains("\"balance\":367.50");
    assertThat(byKey.get("1").get("contact_info").get("signed_up").asText())
        .isEqualTo("2026-01-01");

    assertThat(
            Main.execute(
                new String[] {"demo-change", dir.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))
        .isZero();
    Project.Result second = cli(dir, "run", "customers", "--json");
    assertThat(second.exitCode()).as(second.err()).isZero();
    List<LandedRecord> after = kinesis().readAll(stream);
    List<JsonNode> ten =
        after.stream()
            .filter(r -> r.partitionKey().equals("10"))
            .map(r -> parse(r.data()))
            .toList();
    assertThat(ten).hasSize(2);
    assertThat(ten.get(1).get("event").asText()).isEqualTo("removed");
    assertThat(ten.get(1).get("contact_info"))
        .as("a removed row renders from its last delivered values")
        .isEqualTo(ten.get(0).get("contact_info"));
  }

  @Test
  void rowsWhoseTemplateFailsAreRejectedWithTheirReasonAndLandOnceFixed() {
    String stream = newStream(1);
    Project p =
        new Project(dir)
            .sql(
                "create table t (id integer, payload varchar, divisor integer, region varchar, hash varchar)",
                "insert into t select i, '\"ok ' || i || '\"', 1, 'eu', '42' from range(1, 21) t(i)",
                "update t set divisor = 0 where id = 3",
                "update t set payload = 'not json' where id = 4",
                "update t set region = null where id = 5",
                "update t set hash = '340282366920938463463374607431768211456' where id = 6");
    p.config(
        kinesis().endpoint(),
        """
        t:
          source: model
          table: t
          primary_key: id
          destination: kinesis
          stream: %s
          message:
            template: '{"id": {{ row.id }}, "payload": {{ row.payload | raw }}, "ratio": {{ 10 | divided_by: row.divisor }}}'
          partition_key: "{{ row.region | upcase }}"
          explicit_hash_key: "{{ row.hash }}"
        """
            .formatted(stream));
    Project.Result first = p.cli("run", "t", "--json");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
    JsonNode summary = parse(first.out());
    assertCounts(summary, "added", 20, 16, 4);
    assertThat(summary.get("rejections").toString())
        .isEqualTo(
            "{\"invalid_explicit_hash_key\":1,\"invalid_json\":1,\"invalid_partition_key\":1,\"template_error\":1}");
    Project.Result rejections = p.cli("runs", "t", "--rejections", summary.get("run_id").asText());
    assertThat(rejections.out())
        .contains("template_error")
        .contains("divided_by: cannot divide 10 by zero")
        .contains("invalid_json")
        .contains("invalid_partition_key");

    List<LandedRecord> landed = kinesis().readAll(stream);
    assertThat(landed).hasSize(16);
    assertThat(landed)
        .allSatisfy(
            r -> {
              assertThat(r.partitionKey()).isEqualTo("EU");
              assertThat(parse(r.data()).get("ratio").asInt()).isEqualTo(10);
            });
    assertThat(landed.get(0).data()).as("the rendered JSON is sent compact").doesNotContain(": ");

    p.sql(
        "update t set divisor = 2, payload = '[1, 2]', region = 'us', hash = '7' where id in (3, 4, 5, 6)");
    Project.Result second = p.cli("run", "t", "--json");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertCounts(parse(second.out()), "added", 4, 4, 0);
    assertThat(kinesis().readAll(stream)).hasSize(20);
  }

  @Test
  void previewShowsRenderedRowsAndSendsNothing() {
    String stream = newStream(1);
    Project p =
        new Project(dir)
            .sql(
                "create table t as select i as id, 'x \"' || i || '\" \\' as name from range(1, 4) t(i)");
    p.config(
        kinesis().endpoint(),
        """
        t:
          source: model
          table: t
          primary_key: id
          destination: kinesis
          stream: %s
          message:
            template: '{"id": {{ row.id }}, "name": "{{ row.name }}", "op": "{{ op }}", "run": "{{ run.id }}"}'
        """
            .formatted(stream));
    Project.Result preview = p.cli("preview", "t", "-n", "2", "--offline");
    assertThat(preview.exitCode()).as(preview.err()).isZero();
    assertThat(preview.out())
        .contains(
            "row 1 of 2: primary key 1 (added)",
            "row 2 of 2: primary key 2 (added)",
            "partition key:     1",
            "\"name\" : \"x \\\"1\\\" \\\\\"",
            "\"run\" : \"preview\"")
        .doesNotContain("row 3");
    Project.Result json =
        p.cli("preview", "t", "-n", "1", "--op", "removed", "--json", "--offline");
    assertThat(parse(json.out()).get("data").get("op").asText()).isEqualTo("removed");
    Project.Result online = p.cli("preview", "t", "-n", "1");
    assertThat(online.out())
        .as(online.err())
        .contains(
            "shards: 1 open shard(s) of " + stream, "shard:             shardId-000000000000");
    assertThat(kinesis().readAll(stream)).isEmpty();
    assertThat(dir.resolve(".rowstream")).doesNotExist();
  }

  @Test
  void aTemplateThatDoesNotParseStopsValidateAndRunWithItsPlace() {
    Project p = new Project(dir).sql("create table t as select 1 as id");
    p.config(
        "http://127.0.0.1:1",
        """
        t:
          source: model
          table: t
          primary_key: id
          destination: kinesis
          stream: s
          message:
            template: |
              {"id": {{ row.id }},
               "x": {% if row.id > 0 %}1{% endfor %}}
        """);
    for (String[] command : List.of(new String[] {"validate"}, new String[] {"run", "t"})) {
      Project.Result r = p.cli(command);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err())
          .contains(
              "rowstream.yaml:23: syncs.t.message.template: the Liquid does not parse at line 2, "
                  + "column ")
          .doesNotContain("Exception");
    }
  }
}
