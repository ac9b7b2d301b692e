package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code planning: warehouse} end to end against PostgreSQL: the diff runs there, only the diff is
 * sent, a dry run writes nothing there, and {@code check} names the grants a role lacks.
 */
class WarehousePlanningIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL =
      "create table customers (id int, name text, score numeric(6, 2), tags text[], "
          + "seen timestamptz)";

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static EmbeddedPostgres server;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    server = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    server.close();
  }

  private static WarehousePg customers(String database, int rows) {
    WarehousePg pg = new WarehousePg(server, database);
    pg.sql(
        MODEL,
        "insert into customers select i, 'customer ' || i, i * 1.5, array['t' || (i % 3)], "
            + "timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute' "
            + "from generate_series(1, "
            + rows
            + ") i");
    return pg;
  }

  @Test
  void theFirstRunBackfillsAndTheNextSendsOnlyTheDiff() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("wh-diff", 2);
    WarehousePg pg = customers("diff", 300);
    // a NULL key and a key held by two rows are rejected as with local planning
    pg.sql(
        "insert into customers values (null, 'no key', 0, null, null)",
        "insert into customers values (1000, 'twin a', 1, null, null), (1000, 'twin b', 2, null, null)");
    pg.config(dir, "postgres", kinesis.endpoint(), "customers", "wh-diff");
    Project p = new Project(dir);

    Project.Result first = p.cli("run", "customers", "--json");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
    JsonNode one = JSON.readTree(first.out());
    assertThat(one.path("rows_queried").asLong()).isEqualTo(303);
    assertThat(one.path("added").path("sent").asLong()).isEqualTo(300);
    assertThat(one.path("invalid").asLong()).isEqualTo(3);
    assertThat(one.path("rejections").path("null_primary_key").asLong()).isEqualTo(1);
    assertThat(one.path("rejections").path("duplicate_primary_key").asLong()).isEqualTo(2);
    assertThat(kinesis.readAll("wh-diff")).hasSize(300);
    assertThat(pg.count("select count(*) from rowstream_planner.customers_delivered"))
        .as("the delivered keys are kept in the warehouse")
        .isEqualTo(300);
    assertThat(pg.strings("select row from rowstream_planner.customers_delivered where k = '7'"))
        .containsExactly(
            "{\"id\":7,\"name\":\"customer 7\",\"score\":10.50,\"tags\":[\"t1\"],"
                + "\"seen\":\"2026-01-01T00:07:00Z\"}");

    pg.sql(
        "update customers set name = 'changed 5' where id = 5",
        "update customers set seen = seen + interval '1 second' where id = 6",
        "update customers set score = score where id = 8", // same values: not a change
        "delete from customers where id = 7",
        "insert into customers values (301, 'new', 1, null, null), (302, 'new', 2, '{}', null)");
    Project.Result second = p.cli("run", "customers", "--json");
    assertThat(second.exitCode()).as(second.err()).isEqualTo(3);
    JsonNode two = JSON.readTree(second.out());
    assertThat(two.path("rows_queried").asLong()).isEqualTo(304);
    assertThat(two.path("added").path("sent").asLong()).isEqualTo(2);
    assertThat(two.path("changed").path("sent").asLong()).isEqualTo(2);
    assertThat(two.path("removed").path("sent").asLong()).isEqualTo(1);

    List<LandedRecord> landed = kinesis.readAll("wh-diff");
    assertThat(landed).hasSize(305);
    Map<String, List<String>> byKey =
        landed.stream()
            .collect(
                Collectors.groupingBy(
                    LandedRecord::partitionKey,
                    Collectors.mapping(LandedRecord::data, Collectors.toList())));
    assertThat(byKey.get("5")).last().asString().contains("changed 5");
    assertThat(byKey.get("7"))
        .as("a removal renders the row last delivered")
        .hasSize(2)
        .allMatch(data -> data.contains("customer 7"));
    assertThat(byKey.get("8")).hasSize(1);

    Project.Result third = p.cli("run", "customers", "--json");
    JsonNode three = JSON.readTree(third.out());
    assertThat(
            three.path("added").path("planned").asLong()
                + three.path("changed").path("planned").asLong()
                + three.path("removed").path("planned").asLong())
        .as("nothing changed since")
        .isZero();
    assertThat(kinesis.readAll("wh-diff")).hasSize(305);
  }

  @Test
  void aDryRunWritesNothingToTheWarehouse() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("wh-dry", 1);
    WarehousePg pg = customers("dry", 50);
    pg.config(dir, "postgres", kinesis.endpoint(), "customers", "wh-dry");
    Project p = new Project(dir);

    Project.Result before = p.cli("plan", "customers", "--json");
    assertThat(before.exitCode()).as(before.err()).isZero();
    assertThat(JSON.readTree(before.out()).path("added").path("planned").asLong()).isEqualTo(50);
    assertThat(pg.count("select count(*) from pg_namespace where nspname = 'rowstream_planner'"))
        .as("a dry run of a sync that never ran creates no schema")
        .isZero();

    assertThat(p.cli("run", "customers").exitCode()).isZero();
    pg.sql("update customers set name = 'x' where id <= 3", "delete from customers where id = 50");
    String snapshot = snapshot(pg);
    long statsBefore = writes(pg);

    Project.Result dry = p.cli("plan", "customers", "--json");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    JsonNode counts = JSON.readTree(dry.out());
    assertThat(counts.path("changed").path("planned").asLong()).isEqualTo(3);
    assertThat(counts.path("removed").path("planned").asLong()).isEqualTo(1);
    assertThat(snapshot(pg)).as("the planner's tables are as they were").isEqualTo(snapshot);
    assertThat(writes(pg)).as("no row of the planner schema was written").isEqualTo(statsBefore);
    assertThat(kinesis.readAll("wh-dry")).hasSize(50);
  }

  /** Every table of the planner schema with its rows, as text. */
  private static String snapshot(WarehousePg pg) {
    return String.join(
        "\n",
        pg.strings(
            "select c.relname || ': ' || (xpath('/row/c/text()', query_to_xml("
                + "format('select md5(coalesce(string_agg(t::text, '','' order by t::text), '''')) as c "
                + "from %I.%I t', n.nspname, c.relname), false, true, '')))[1]::text "
                + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = 'rowstream_planner' and c.relkind = 'r' order by 1"));
  }

  /** Rows inserted, updated or deleted in the planner schema so far, by the statistics. */
  private static long writes(WarehousePg pg) {
    pg.sql("select pg_stat_force_next_flush()");
    return pg.count(
        "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables "
            + "where schemaname = 'rowstream_planner'");
  }

  @Test
  void checkNamesTheGrantsARoleLacksForThePlannerSchema() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("wh-check", 1);
    WarehousePg pg = customers("grants", 10);
    pg.sql("create role reader login password 'reader-pw'", "grant select on customers to reader");
    pg.config(dir, "reader", kinesis.endpoint(), "customers", "wh-check");
    Project p = new Project(dir);

    Project.Result denied = p.cli("check", "kinesis");
    assertThat(denied.exitCode()).as(denied.out() + denied.err()).isEqualTo(1);
    assertThat(denied.out())
        .contains("source pg: planning in the warehouse, schema rowstream_planner")
        .contains("GRANT CREATE ON DATABASE grants TO reader;");
    Project.Result run = p.cli("run", "customers", "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode failed = JSON.readTree(run.out());
    assertThat(failed.path("error_code").asText()).isEqualTo("state_unwritable");
    assertThat(failed.path("error").asText())
        .contains("permission denied")
        .contains("rowstream check");

    // an administrator made the schema, but gave the role nothing on it
    pg.sql("create schema rowstream_planner");
    Project.Result noUsage = p.cli("check", "kinesis");
    assertThat(noUsage.exitCode()).isEqualTo(1);
    assertThat(noUsage.out())
        .contains("GRANT USAGE, CREATE ON SCHEMA rowstream_planner TO reader;");

    pg.sql("grant usage, create on schema rowstream_planner to reader");
    Project.Result granted = p.cli("check", "kinesis");
    assertThat(granted.exitCode()).as(granted.out() + granted.err()).isZero();
    assertThat(p.cli("run", "customers").exitCode()).isZero();
    assertThat(kinesis.readAll("wh-check")).hasSize(10);
  }
}
