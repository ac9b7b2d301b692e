package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.testing.EmbeddedMariaDb;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
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
 * {@code planning: warehouse} end to end against a real MariaDB server: the diff runs there, only
 * the diff is sent, rows are encoded exactly as a locally planned run encodes them, a dry run
 * writes nothing there, and {@code check} names the GRANT a user lacks.
 */
class MariaWarehousePlanningIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A column of each kind SPEC gives an encoding rule for. */
  private static final String MODEL =
      "create table customers (id int, name varchar(100), score decimal(6, 2), active tinyint(1),"
          + " doc json, seen timestamp(3) null, born date, ratio double, weight float,"
          + " big bigint unsigned)";

  private static final String ROWS =
      "insert into customers select seq, concat('customer ', seq), seq * 1.5, seq % 2 = 0,"
          + " json_object('n', seq, 'tags', json_array('t', seq % 3)),"
          + " timestamp '2026-01-01 00:00:00' + interval seq minute,"
          + " date '2000-01-01' + interval seq day, seq / 3e0, seq / 7e0,"
          + " 18446744073709551615 - seq from seq_1_to_";

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static EmbeddedMariaDb server;

  @TempDir Path dir;

  @BeforeAll
  static void startMariaDb() {
    server = EmbeddedMariaDb.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (server != null) {
      server.close();
    }
  }

  /** A database with {@code rows} customers and a user {@code planner} granted what check asks. */
  private static WarehouseMaria customers(String database, int rows) {
    WarehouseMaria maria = new WarehouseMaria(server, database);
    maria.sql(MODEL, ROWS + rows);
    return maria;
  }

  /** A user who may read the model and plan in {@code planner}: what check asks for. */
  private static void grantPlanner(WarehouseMaria maria, String user, String planner) {
    maria.user(
        user,
        "select on " + maria.database + ".*",
        "select, insert, update, delete, create, create temporary tables on " + planner + ".*");
  }

  @Test
  void theFirstRunBackfillsAndTheNextSendsOnlyTheDiffEncodedAsALocalRunEncodesIt()
      throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("mwh-diff", 2);
    kinesis.createStream("mwh-diff-local", 1);
    WarehouseMaria maria = customers("diff", 300);
    // a NULL key and a key held by two rows are rejected as with local planning
    maria.sql(
        "insert into customers (id, name) values (null, 'no key')",
        "insert into customers (id, name) values (1000, 'twin a'), (1000, 'twin b')");
    grantPlanner(maria, "planner", "diff_planner");
    maria.config(dir, "planner", "diff_planner", kinesis.endpoint(), "customers", "mwh-diff");
    Project p = new Project(dir);

    Project.Result first = p.cli("run", "customers", "--json");
    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(3);
    JsonNode one = JSON.readTree(first.out());
    assertThat(one.path("rows_queried").asLong()).isEqualTo(303);
    assertThat(one.path("added").path("sent").asLong()).isEqualTo(300);
    assertThat(one.path("invalid").asLong()).isEqualTo(3);
    assertThat(one.path("rejections").path("null_primary_key").asLong()).isEqualTo(1);
    assertThat(one.path("rejections").path("duplicate_primary_key").asLong()).isEqualTo(2);
    assertThat(kinesis.readAll("mwh-diff")).hasSize(300);
    assertThat(maria.count("select count(*) from diff_planner.customers_delivered"))
        .as("the delivered keys are kept in the warehouse")
        .isEqualTo(300);
    assertThat(maria.strings("select `row` from diff_planner.customers_delivered where k = '7'"))
        .containsExactly(
            "{\"id\":7,\"name\":\"customer 7\",\"score\":10.50,\"active\":false,"
                + "\"doc\":{\"n\":7,\"tags\":[\"t\",1]},\"seen\":\"2026-01-01T00:07:00\","
                + "\"born\":\"2000-01-08\",\"ratio\":2.3333333333333335,\"weight\":1.0,"
                + "\"big\":18446744073709551608}");

    Project.Result local = p.cli("run", "local", "--json");
    assertThat(local.exitCode()).as(local.out() + local.err()).isEqualTo(3);
    assertThat(byKey(kinesis.readAll("mwh-diff")))
        .as("every row is encoded as the local planner encodes it")
        .isEqualTo(byKey(kinesis.readAll("mwh-diff-local")));

    maria.sql(
        "update customers set name = 'changed 5' where id = 5",
        "update customers set seen = seen + interval 1 second where id = 6",
        "update customers set active = not active where id = 9",
        "update customers set doc = json_object('n', 10) where id = 10",
        "update customers set ratio = ratio + 1e-15 where id = 11",
        "update customers set score = score where id = 8", // same values: not a change
        "delete from customers where id = 7",
        "insert into customers (id, name) values (301, 'new'), (302, 'new')");
    Project.Result second = p.cli("run", "customers", "--json");
    assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(3);
    JsonNode two = JSON.readTree(second.out());
    assertThat(two.path("rows_queried").asLong()).isEqualTo(304);
    assertThat(two.path("added").path("sent").asLong()).isEqualTo(2);
    assertThat(two.path("changed").path("sent").asLong()).isEqualTo(5);
    assertThat(two.path("removed").path("sent").asLong()).isEqualTo(1);

    List<LandedRecord> landed = kinesis.readAll("mwh-diff");
    assertThat(landed).hasSize(308);
    Map<String, List<String>> perKey =
        landed.stream()
            .collect(
                Collectors.groupingBy(
                    LandedRecord::partitionKey,
                    Collectors.mapping(LandedRecord::data, Collectors.toList())));
    assertThat(perKey.get("5")).last().asString().contains("changed 5");
    assertThat(perKey.get("9")).last().asString().contains("\"active\":true");
    assertThat(perKey.get("7"))
        .as("a removal renders the row last delivered")
        .hasSize(2)
        .allMatch(data -> data.contains("customer 7"));
    assertThat(perKey.get("8")).hasSize(1);

    Project.Result third = p.cli("run", "customers", "--json");
    JsonNode three = JSON.readTree(third.out());
    assertThat(
            three.path("added").path("planned").asLong()
                + three.path("changed").path("planned").asLong()
                + three.path("removed").path("planned").asLong())
        .as("nothing changed since")
        .isZero();
    assertThat(kinesis.readAll("mwh-diff")).hasSize(308);
  }

  private static Map<String, String> byKey(List<LandedRecord> records) {
    return records.stream()
        .collect(Collectors.toMap(LandedRecord::partitionKey, LandedRecord::data, (a, b) -> b));
  }

  @Test
  void aDryRunWritesNothingToTheWarehouse() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("mwh-dry", 1);
    kinesis.createStream("mwh-dry-local", 1);
    WarehouseMaria maria = customers("dry", 50);
    grantPlanner(maria, "dryer", "dry_planner");
    maria.config(dir, "dryer", "dry_planner", kinesis.endpoint(), "customers", "mwh-dry");
    Project p = new Project(dir);

    Project.Result before = p.cli("plan", "customers", "--json");
    assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
    assertThat(JSON.readTree(before.out()).path("added").path("planned").asLong()).isEqualTo(50);
    assertThat(
            maria.count(
                "select count(*) from information_schema.schemata"
                    + " where schema_name = 'dry_planner'"))
        .as("a dry run of a sync that never ran creates no database")
        .isZero();

    Project.Result run = p.cli("run", "customers");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    maria.sql(
        "update customers set name = 'x' where id <= 3", "delete from customers where id = 50");
    String snapshot = snapshot(maria);
    long writesBefore = writes(maria);

    Project.Result dry = p.cli("plan", "customers", "--json");
    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
    JsonNode counts = JSON.readTree(dry.out());
    assertThat(counts.path("changed").path("planned").asLong()).isEqualTo(3);
    assertThat(counts.path("removed").path("planned").asLong()).isEqualTo(1);
    assertThat(snapshot(maria)).as("the planner's tables are as they were").isEqualTo(snapshot);
    assertThat(writes(maria)).as("no row was written by the dry run").isEqualTo(writesBefore);
    assertThat(kinesis.readAll("mwh-dry")).hasSize(50);
  }

  /** The planner database's tables, and a checksum of the sync's tables' rows. */
  private static String snapshot(WarehouseMaria maria) {
    return String.join(
            ",",
            maria.strings(
                "select table_name from information_schema.tables"
                    + " where table_schema = 'dry_planner' order by 1"))
        + "\n"
        + maria.strings(
            "select concat(count(*), ':', coalesce(sum(crc32(concat_ws('|', k, fp, `row`))), 0))"
                + " from dry_planner.customers_delivered")
        + maria.strings("select count(*) from dry_planner.customers_acks")
        + maria.strings(
            "select group_concat(`key`, '=', value order by `key`) from dry_planner.customers_meta");
  }

  /**
   * Rows written, updated or deleted through any table handler of the server so far (temporary
   * tables the server makes for its own queries count apart, as Handler_tmp_write).
   */
  private static long writes(WarehouseMaria maria) {
    return maria.count(
        "select sum(variable_value) from information_schema.global_status where variable_name in"
            + " ('HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE')");
  }

  @Test
  void checkNamesTheGrantAUserLacksForThePlannerDatabase() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("mwh-check", 1);
    kinesis.createStream("mwh-check-local", 1);
    WarehouseMaria maria = customers("grants", 10);
    maria.user("reader", "select on grants.*");
    maria.config(dir, "reader", "rowstream_planner", kinesis.endpoint(), "customers", "mwh-check");
    Project p = new Project(dir);

    Project.Result denied = p.cli("check", "kinesis");
    assertThat(denied.exitCode()).as(denied.out() + denied.err()).isEqualTo(1);
    String grant =
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, CREATE TEMPORARY TABLES"
            + " ON `rowstream_planner`.* TO 'reader'@'%';";
    assertThat(denied.out())
        .contains("source maria: planning in the warehouse, schema rowstream_planner")
        .contains(grant);
    Project.Result run = p.cli("run", "customers", "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    JsonNode failed = JSON.readTree(run.out());
    assertThat(failed.path("error_code").asText()).isEqualTo("state_unwritable");
    assertThat(failed.path("error").asText())
        .contains("denied")
        .contains("rowstream check")
        .doesNotContain("reader-pw");

    server.sql("", grant.substring(0, grant.length() - 1));
    Project.Result granted = p.cli("check", "kinesis");
    assertThat(granted.exitCode()).as(granted.out() + granted.err()).isZero();
    Project.Result again = p.cli("run", "customers");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(kinesis.readAll("mwh-check")).hasSize(10);
  }
}
