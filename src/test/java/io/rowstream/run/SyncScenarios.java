package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.ShardRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end scenarios of SPEC §4, run against each emulator by a subclass. */
abstract class SyncScenarios {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  abstract KinesisEmulator kinesis();

  /** Model size for the scenarios; kinesis-mock is slow. */
  abstract int rows();

  private int streamCounter;

  String newStream(int shards) {
    String name =
        getClass().getSimpleName().toLowerCase()
            + "-"
            + System.nanoTime() % 1_000_000_000
            + "-"
            + streamCounter++;
    kinesis().createStream(name, shards);
    return name;
  }

  Project customers(String stream, String extraSyncYaml) {
    Project p =
        new Project(dir)
            .sql(
                "create table customers (id integer, name varchar, balance decimal(12, 2), signed_up timestamptz)",
                "insert into customers select i, case when i % 7 = 0 then 'say \"hi\" \\ back' else 'name ' || i end, "
                    + "i * 1.25, timestamptz '2026-01-01 00:00:00+00' + to_seconds(i) from range(1, "
                    + (rows() + 1)
                    + ") t(i)");
    return p.config(
        kinesis().endpoint(),
        """
        customers:
          source: model
          table: customers
          primary_key: id
          destination: kinesis
          stream: %s
        """
                .formatted(stream)
            + extraSyncYaml.indent(2));
  }

  static JsonNode runJson(Project p, int expectedExit) {
    Project.Result r = p.cli("run", "customers", "--json");
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(expectedExit);
    return parse(r.out());
  }

  static void assertCounts(JsonNode summary, String type, int planned, int sent, int rejected) {
    assertThat(summary.get(type))
        .as(type + " in " + summary)
        .isEqualTo(
            JSON.createObjectNode()
                .put("planned", planned)
                .put("sent", sent)
                .put("rejected", rejected));
  }

  static Map<String, Long> countPerKey(List<LandedRecord> records) {
    return records.stream()
        .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
  }

  static JsonNode data(LandedRecord r) {
    return parse(r.data());
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  @Test
  void backfillThenChangesLandEveryEventExactlyOnceOnItsShard() {
    String stream = newStream(2);
    Project p = customers(stream, "");

    JsonNode first = runJson(p, 0);
    assertThat(first.get("status").asText()).isEqualTo("succeeded");
    assertThat(first.get("rows_queried").asInt()).isEqualTo(rows());
    assertCounts(first, "added", rows(), rows(), 0);
    assertCounts(first, "changed", 0, 0, 0);
    assertCounts(first, "removed", 0, 0, 0);

    List<LandedRecord> landed = kinesis().readAll(stream);
    List<ShardRange> shards = kinesis().shards(stream);
    assertThat(landed).hasSize(rows());
    assertThat(countPerKey(landed).values()).containsOnly(1L);
    for (LandedRecord r : landed) {
      assertThat(r.shardId())
          .as("shard of key %s", r.partitionKey())
          .isEqualTo(KinesisEmulator.expectedShard(shards, r.partitionKey()));
      JsonNode row = data(r);
      int id = Integer.parseInt(r.partitionKey());
      assertThat(row.get("id").asInt()).isEqualTo(id);
      assertThat(r.data())
          .contains(
              "\"balance\":"
                  + new java.math.BigDecimal(id)
                      .multiply(new java.math.BigDecimal("1.25"))
                      .setScale(2)
                      .toPlainString());
    }
    LandedRecord seven =
        landed.stream().filter(r -> r.partitionKey().equals("7")).findFirst().orElseThrow();
    assertThat(data(seven).get("name").asText()).isEqualTo("say \"hi\" \\ back");
    assertThat(data(seven).get("signed_up").asText()).isEqualTo("2026-01-01T00:00:07Z");

    p.sql(
        "update customers set name = 'renamed' where id in (1, 2, 3)",
        "delete from customers where id in (4, 5)",
        "insert into customers values (" + (rows() + 1) + ", 'new', 0.10, null)");
    JsonNode second = runJson(p, 0);
    assertCounts(second, "added", 1, 1, 0);
    assertCounts(second, "changed", 3, 3, 0);
    assertCounts(second, "removed", 2, 2, 0);

    List<LandedRecord> after = kinesis().readAll(stream);
    assertThat(after).hasSize(rows() + 6);
    Map<String, Long> perKey = countPerKey(after);
    assertThat(perKey)
        .containsEntry("1", 2L)
        .containsEntry("4", 2L)
        .containsEntry(String.valueOf(rows() + 1), 1L);
    List<LandedRecord> removedFour =
        after.stream().filter(r -> r.partitionKey().equals("4")).toList();
    assertThat(removedFour.get(1).data())
        .as("removed rows render from the last delivered values")
        .isEqualTo(removedFour.get(0).data());
    assertThat(
            after.stream()
                .filter(r -> r.partitionKey().equals("1"))
                .map(r -> data(r).get("name").asText()))
        .containsExactly("name 1", "renamed");

    JsonNode third = runJson(p, 0);
    for (String type : List.of("added", "changed", "removed")) {
      assertCounts(third, type, 0, 0, 0);
    }
    assertThat(kinesis().readAll(stream)).hasSize(rows() + 6);
  }

  @Test
  void eventsOutsideOnAreSkippedButTheStateMovesForward() {
    String stream = newStream(1);
    Project p = customers(stream, "on: [added]\n");
    assertCounts(runJson(p, 0), "added", rows(), rows(), 0);

    p.sql(
        "update customers set name = 'x' where id in (1, 2)", "delete from customers where id = 3");
    JsonNode second = runJson(p, 0);
    assertThat(second.get("skipped").asInt()).isEqualTo(3);
    assertCounts(second, "changed", 0, 0, 0);
    assertCounts(second, "removed", 0, 0, 0);

    JsonNode third = runJson(p, 0);
    assertThat(third.get("skipped").asInt()).as("the skipped events advanced the state").isZero();

    p.sql("insert into customers values (3, 'back again', 1, null)");
    assertCounts(runJson(p, 0), "added", 1, 1, 0);
    assertThat(kinesis().readAll(stream)).hasSize(rows() + 1);
  }

  @Test
  void initialSyncSkipRecordsABaselineAndSendsOnlyLaterChanges() {
    String stream = newStream(1);
    Project p = customers(stream, "initial_sync: skip\n");
    JsonNode first = runJson(p, 0);
    assertThat(first.get("skipped").asInt()).isEqualTo(rows());
    assertCounts(first, "added", 0, 0, 0);
    assertThat(kinesis().readAll(stream)).isEmpty();

    p.sql("update customers set name = 'changed' where id = 2");
    JsonNode second = runJson(p, 0);
    assertCounts(second, "changed", 1, 1, 0);
    assertThat(kinesis().readAll(stream))
        .extracting(LandedRecord::partitionKey)
        .containsExactly("2");
  }

  @Test
  void initialSyncBackfillIsTheDefaultAndSendsEveryRow() {
    String stream = newStream(1);
    Project p = customers(stream, "initial_sync: backfill\n");
    assertCounts(runJson(p, 0), "added", rows(), rows(), 0);
    assertThat(kinesis().readAll(stream)).hasSize(rows());
  }

  @Test
  void invalidRowsAreRejectedWithReasonsWhileTheOthersGoOnAndAreRetriedWhenFixed() {
    String stream = newStream(1);
    Project p =
        customers(stream, "max_record_bytes: 2000\n")
            .sql(
                "insert into customers values (null, 'no key', 1, null)",
                "insert into customers values (5, 'second five', 1, null)",
                "update customers set name = repeat('x', 3000) where id = 9");
    JsonNode first = runJson(p, 3);
    assertThat(first.get("status").asText()).isEqualTo("completed_with_errors");
    assertThat(first.get("rejections"))
        .isEqualTo(
            JSON.createObjectNode()
                .put("duplicate_primary_key", 2)
                .put("null_primary_key", 1)
                .put("record_too_large", 1));
    assertCounts(first, "added", rows() - 1, rows() - 2, 1);
    assertThat(countPerKey(kinesis().readAll(stream)))
        .doesNotContainKeys("5", "9")
        .hasSize(rows() - 2);

    Project.Result rejections =
        p.cli("runs", "customers", "--rejections", first.get("run_id").asText());
    assertThat(rejections.out())
        .contains("duplicate_primary_key", "primary key value 5 is held by 2 rows")
        .contains("null_primary_key", "record_too_large", "record is 30");

    p.sql(
        "delete from customers where id is null or name = 'second five'",
        "update customers set name = 'short' where id = 9");
    JsonNode second = runJson(p, 0);
    assertCounts(second, "added", 2, 2, 0);
    assertThat(countPerKey(kinesis().readAll(stream)))
        .containsEntry("5", 1L)
        .containsEntry("9", 1L)
        .hasSize(rows());
  }

  @Test
  void aMissingStreamFailsTheRunNamingTheStream() {
    Project p = customers("no-such-stream", "");
    JsonNode summary = runJson(p, 1);
    assertThat(summary.get("status").asText()).isEqualTo("failed");
    assertThat(summary.get("error").asText())
        .contains("stream 'no-such-stream' was not found in region us-east-1");
    assertThat(summary.get("error_code").asText()).isEqualTo("stream_not_found");
    assertCounts(summary, "added", rows(), 0, 0);
  }

  @Test
  void columnModeSendsTheJsonDocumentTheColumnHolds() {
    String stream = newStream(1);
    Project p =
        new Project(dir)
            .sql(
                "create table docs (id varchar, payload varchar, note varchar)",
                "insert into docs values ('a', '{\"x\": [1, 2.50, {\"y\": null}]}', 'n'), ('b', '[\"text\", true]', 'n'), "
                    + "('c', 'not json', 'n')");
    p.config(
        kinesis().endpoint(),
        """
        docs:
          source: model
          table: docs
          primary_key: id
          destination: kinesis
          stream: %s
          message:
            column: payload
        """
            .formatted(stream));
    Project.Result r = p.cli("run", "docs");
    assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(3);
    assertThat(r.out()).contains("1 rejected {invalid_json=1}");
    Map<String, String> byKey =
        kinesis().readAll(stream).stream()
            .collect(Collectors.toMap(LandedRecord::partitionKey, LandedRecord::data));
    assertThat(byKey)
        .containsOnly(
            Map.entry("a", "{\"x\":[1,2.50,{\"y\":null}]}"), Map.entry("b", "[\"text\",true]"));
  }

  @Test
  void planCountsEventsAndSendsNothing() {
    String stream = newStream(1);
    Project p = customers(stream, "");
    Project.Result plan = p.cli("plan", "customers", "--json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    JsonNode counts = parse(plan.out());
    assertThat(counts.get("added").get("planned").asInt()).isEqualTo(rows());
    assertThat(kinesis().readAll(stream)).isEmpty();
    assertCounts(runJson(p, 0), "added", rows(), rows(), 0);
  }
}
