package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.EventType;
import io.rowstream.delivery.ProducerSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
  private static final String VALID =
      """
      sources:
        warehouse:
          type: duckdb
          path: demo.duckdb
        pg:
          type: postgres
          url: jdbc:postgresql://127.0.0.1:5432/analytics
          user: ${PGUSER}
          password: ${PGPASSWORD}
      destinations:
        events:
          type: kinesis
          region: us-east-1
          endpoint: http://127.0.0.1:4567
          credentials:
            access_key_id: AKIDEXAMPLE
            secret_access_key: ${AWS_SECRET}
      syncs:
        customers:
          source: warehouse
          query: select * from customers;
          primary_key: id
          destination: events
          stream: customer-events
          on: [added, removed]
          message:
            columns: [id, email]
          partition_key: "{{ row.id }}"
          initial_sync: skip
          schedule: "*/15 * * * *"
        orders:
          source: pg
          table: public.orders
          primary_key: order_id
          destination: events
          stream: orders
          message:
            columns:
              order: order_id
              total: amount
      """;

  private static final Map<String, String> ENV =
      Map.of(
          "PGUSER", "analyst", "PGPASSWORD", "pg-secret-value", "AWS_SECRET", "aws-secret-value");

  @TempDir Path dir;

  private ConfigResult read(String yaml) throws IOException {
    return read(yaml, ENV);
  }

  private ConfigResult read(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml);
    return ConfigReader.read(file, env);
  }

  private List<String> problems(String yaml) throws IOException {
    return read(yaml).problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void validConfigIsReadWithDefaultsAndResolvedReferences() throws IOException {
    ConfigResult result = read(VALID);
    assertThat(result.problems()).isEmpty();
    RowstreamConfig config = result.config().orElseThrow();
    assertThat(config.stateDir()).isEqualTo(dir.toAbsolutePath().resolve(".rowstream"));
    assertThat(config.source("warehouse").path())
        .contains(dir.toAbsolutePath().resolve("demo.duckdb").toString());
    assertThat(config.source("pg").password().orElseThrow().reveal()).isEqualTo("pg-secret-value");

    SyncConfig customers = config.sync("customers");
    assertThat(customers.query()).isEqualTo("select * from customers");
    assertThat(customers.on()).containsExactlyInAnyOrder(EventType.ADDED, EventType.REMOVED);
    assertThat(customers.message().columns())
        .containsExactly(Map.entry("id", "id"), Map.entry("email", "email"));
    assertThat(customers.initialSync()).isEqualTo(SyncConfig.InitialSync.SKIP);
    assertThat(customers.partitionKey()).contains("{{ row.id }}");
    assertThat(customers.maxRecordBytes()).isEqualTo(SyncConfig.DEFAULT_MAX_RECORD_BYTES);

    SyncConfig orders = config.sync("orders");
    assertThat(orders.query()).isEqualTo("select * from public.orders");
    assertThat(orders.on()).containsExactlyInAnyOrder(EventType.values());
    assertThat(orders.initialSync()).isEqualTo(SyncConfig.InitialSync.BACKFILL);
    assertThat(orders.message().columns())
        .containsExactly(Map.entry("order", "order_id"), Map.entry("total", "amount"));
  }

  @Test
  void defaultMessageIsEveryColumn() throws IOException {
    SyncConfig sync =
        read(VALID.replace(
                "    message:\n      columns:\n        order: order_id\n        total: amount\n",
                ""))
            .config()
            .orElseThrow()
            .sync("orders");
    assertThat(sync.message()).isEqualTo(MessageSpec.allColumns());
  }

  @Test
  void secretsNeverAppearInTheConfigsText() throws IOException {
    RowstreamConfig config = read(VALID).config().orElseThrow();
    assertThat(config.toString())
        .doesNotContain("pg-secret-value")
        .doesNotContain("aws-secret-value");
  }

  @Test
  void unknownKeyNamesLineKeyAndSuggestion() throws IOException {
    assertThat(problems(VALID.replace("primary_key: id", "primary_kee: id")))
        .containsExactly(
            dir.resolve("rowstream.yaml")
                + ":20: syncs.customers.primary_key: is required: the column "
                + "that identifies a row, such as id",
            dir.resolve("rowstream.yaml")
                + ":22: syncs.customers.primary_kee: unknown key; did you "
                + "mean 'primary_key'? Valid keys here: source, query, table, primary_key, destination, stream, on, "
                + "message, partition_key, explicit_hash_key, initial_sync, schedule, max_record_bytes, after, paused, "
                + "alerts, sync_log");
  }

  @Test
  void missingReferenceListsTheDeclaredNames() throws IOException {
    assertThat(problems(VALID.replace("source: warehouse", "source: warehose")))
        .singleElement()
        .asString()
        .endsWith(
            ":20: syncs.customers.source: no source named 'warehose'; did you mean 'warehouse'?; declared: warehouse, pg");
  }

  @Test
  void unsetEnvironmentVariableIsNamed() throws IOException {
    assertThat(read(VALID, Map.of("PGUSER", "a", "AWS_SECRET", "b")).problems())
        .singleElement()
        .asString()
        .endsWith(
            ":9: sources.pg.password: environment variable PGPASSWORD is not set; set it, or write "
                + "$${PGPASSWORD} for a literal ${...}");
  }

  @Test
  void eventNotInTheListIsRejected() throws IOException {
    assertThat(problems(VALID.replace("on: [added, removed]", "on: [added, deleted]")))
        .singleElement()
        .asString()
        .endsWith("syncs.customers.on: 'deleted' is not an event; valid: added, changed, removed");
  }

  @Test
  void queryAndTableTogetherIsRejected() throws IOException {
    assertThat(
            problems(
                VALID.replace("table: public.orders", "table: public.orders\n    query: select 1")))
        .singleElement()
        .asString()
        .endsWith("syncs.orders: give exactly one of query (a SQL select) or table (a table name)");
  }

  @Test
  void messageTemplateIsLiquidText() throws IOException {
    RowstreamConfig config =
        read(VALID.replace(
                "columns: [id, email]",
                "template: |\n        {\"id\": {{ row.id }}, \"email\": \"{{ row.email }}\"}"))
            .config()
            .orElseThrow();
    MessageSpec message = config.sync("customers").message();
    assertThat(message.mode()).isEqualTo(MessageSpec.Mode.TEMPLATE);
    assertThat(message.template())
        .isEqualTo("{\"id\": {{ row.id }}, \"email\": \"{{ row.email }}\"}\n");
  }

  @Test
  void templateThatDoesNotParseNamesSyncKeyLineAndColumn() throws IOException {
    String yaml =
        VALID.replace(
            "columns: [id, email]",
            "template: |\n        {\"id\": {{ row.id }},\n         \"vip\": {% if row.vip %}true{% else %}false{% endfi %}}");
    int templateLine =
        yaml.lines()
                .toList()
                .indexOf("         \"vip\": {% if row.vip %}true{% else %}false{% endfi %}}")
            + 1;
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(
            "rowstream.yaml:"
                + templateLine
                + ": syncs.customers.message.template: the Liquid does not parse at "
                + "line 2, column ");
  }

  @Test
  void emptyTemplateIsRejected() throws IOException {
    assertThat(problems(VALID.replace("columns: [id, email]", "template: ''")))
        .singleElement()
        .asString()
        .contains("syncs.customers.message.template: must not be empty");
  }

  @Test
  void twoMessageModesAreRejected() throws IOException {
    assertThat(
            problems(VALID.replace("columns: [id, email]", "columns: [id]\n      column: payload")))
        .singleElement()
        .asString()
        .contains("give exactly one of template");
  }

  @Test
  void badYamlReportsItsLine() throws IOException {
    assertThat(problems("sources:\n  a: [unclosed\nsyncs: {}\n"))
        .singleElement()
        .asString()
        .startsWith(dir.resolve("rowstream.yaml") + ":3: not valid YAML");
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    assertThat(problems(VALID.replace("stream: orders", "stream: orders\n    stream: other")))
        .singleElement()
        .asString()
        .endsWith(":37: syncs.orders.stream: duplicate key; give each key once");
  }

  @Test
  void missingFileSuggestsInit() {
    assertThat(ConfigReader.read(dir.resolve("nope.yaml"), ENV).problems())
        .singleElement()
        .asString()
        .endsWith(
            "nope.yaml: file not found; run `rowstream init` to create one, or pass --config FILE");
  }

  @Test
  void badValuesNameWhatWouldBeValid() throws IOException {
    String yaml =
        VALID
            .replace("type: duckdb", "type: sqlite")
            .replace("region: us-east-1", "region: useast")
            .replace("stream: orders", "stream: 'orders with spaces'")
            .replace("initial_sync: skip", "initial_sync: later")
            .replace("schedule: \"*/15 * * * *\"", "schedule: sometimes");
    assertThat(problems(yaml))
        .extracting(p -> p.substring(p.indexOf(": ") + 2))
        .containsExactlyInAnyOrder(
            "sources.warehouse.type: 'sqlite' is not a source type; valid: duckdb, postgres, mysql (or"
                + " mariadb), jdbc",
            "destinations.events.region: 'useast' is not an AWS region; expected a name such as us-east-1",
            "syncs.customers.initial_sync: 'later' is not valid; valid: backfill, skip",
            "syncs.customers.schedule: 'sometimes' is not a schedule; expected 5-field cron in UTC such as "
                + "\"*/15 * * * *\", \"every 15m\" (s, m, h or d; at least 10s), or manual",
            "syncs.orders.stream: 'orders with spaces' is not a valid stream name: 1 to 128 of letters, digits, _ . -");
  }

  @Test
  void partitionKeyAndExplicitHashKeyAreLiquid() throws IOException {
    assertThat(
            read(VALID.replace(
                    "partition_key: \"{{ row.id }}\"",
                    "partition_key: \"{{ row.email | downcase | split: '@' | last }}-{{ row.id }}\""))
                .ok())
        .isTrue();
    assertThat(
            problems(
                VALID.replace(
                    "partition_key: \"{{ row.id }}\"",
                    "partition_key: \"{{ row.id }}\"\n    explicit_hash_key: \"{% if row.id %}1\"")))
        .singleElement()
        .asString()
        .contains(
            "syncs.customers.explicit_hash_key: the Liquid does not parse at line 1, column ");
  }

  @Test
  void staticKeysComeInPairs() throws IOException {
    assertThat(problems(VALID.replace("      access_key_id: AKIDEXAMPLE\n", "")))
        .singleElement()
        .asString()
        .contains(
            "destinations.events.credentials: access_key_id and secret_access_key go together");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    String yaml =
        VALID
            .replace("primary_key: id", "")
            .replace("stream: orders", "")
            .replace("region: us-east-1", "");
    assertThat(read(yaml).problems()).hasSize(3);
  }

  private static final String CREDENTIALS =
      """
            access_key_id: AKIDEXAMPLE
            secret_access_key: ${AWS_SECRET}
      """;

  private String withCredentials(String block) {
    return VALID.replace(CREDENTIALS, block.indent(6));
  }

  private static String afterKey(String problem) {
    return problem.substring(problem.indexOf(": ") + 2);
  }

  @Test
  void aRoleIsAssumedWithTheStaticKeysAndDefaultSessionSettings() throws IOException {
    RowstreamConfig config =
        read(withCredentials(
                """
        access_key_id: AKIDEXAMPLE
        secret_access_key: ${AWS_SECRET}
        role_arn: arn:aws:iam::123456789012:role/rowstream
        external_id: 6f2c0e0a-4b1d-shared
        """))
            .config()
            .orElseThrow();
    DestinationConfig.Credentials c = config.destination("events").credentials().orElseThrow();
    assertThat(c.accessKeyId()).contains("AKIDEXAMPLE");
    assertThat(c.sourceMode()).isEqualTo("static keys");
    DestinationConfig.AssumeRole role = c.role().orElseThrow();
    assertThat(role.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/rowstream");
    assertThat(role.externalId().orElseThrow().reveal()).isEqualTo("6f2c0e0a-4b1d-shared");
    assertThat(role.sessionName()).isEqualTo("rowstream-events");
    assertThat(role.sessionDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(role.stsEndpoint()).isEmpty();
    assertThat(config.toString())
        .doesNotContain("6f2c0e0a-4b1d-shared")
        .doesNotContain("aws-secret-value");
    assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void aRoleTakesAProfileAsSourceAndItsOwnSessionSettings() throws IOException {
    RowstreamConfig config =
        read(withCredentials(
                """
        profile: analytics
        role_arn: arn:aws-cn:iam::123456789012:role/team/rowstream-writer
        session_name: nightly@etl
        session_duration: 1h30m
        sts_endpoint: https://vpce-0a1b.sts.us-east-1.vpce.amazonaws.com
        """))
            .config()
            .orElseThrow();
    DestinationConfig.Credentials c = config.destination("events").credentials().orElseThrow();
    assertThat(c.sourceMode()).isEqualTo("profile 'analytics'");
    DestinationConfig.AssumeRole role = c.role().orElseThrow();
    assertThat(role.sessionName()).isEqualTo("nightly@etl");
    assertThat(role.sessionDuration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(role.stsEndpoint())
        .contains(URI.create("https://vpce-0a1b.sts.us-east-1.vpce.amazonaws.com"));
    assertThat(role.externalId()).isEmpty();
  }

  @Test
  void aRoleArnMustBeAnIamRoleArn() throws IOException {
    assertThat(problems(withCredentials("role_arn: arn:aws:iam::12345:user/rowstream\n")))
        .singleElement()
        .extracting(ConfigReaderTest::afterKey)
        .isEqualTo(
            "destinations.events.credentials.role_arn: 'arn:aws:iam::12345:user/rowstream' is not an IAM role ARN; "
                + "expected arn:aws:iam::123456789012:role/NAME (partition aws, aws-cn or aws-us-gov; a 12-digit account)");
  }

  @Test
  void aSessionDurationOutsideFifteenMinutesToTwelveHoursIsRejected() throws IOException {
    for (String duration : List.of("10m", "13h", "soon", "0m")) {
      assertThat(
              problems(
                  withCredentials(
                      "role_arn: arn:aws:iam::123456789012:role/r\nsession_duration: "
                          + duration
                          + "\n")))
          .as(duration)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "destinations.events.credentials.session_duration: '"
                  + duration
                  + "' is not valid; expected a duration "
                  + "from 15m to 12h such as 1h or 90m (default 1h; the role's maximum session duration also applies)");
    }
    assertThat(
            read(withCredentials(
                    "role_arn: arn:aws:iam::123456789012:role/r\nsession_duration: 12h\n"))
                .ok())
        .isTrue();
    assertThat(
            read(withCredentials(
                    "role_arn: arn:aws:iam::123456789012:role/r\nsession_duration: 15m\n"))
                .ok())
        .isTrue();
  }

  @Test
  void anInvalidExternalIdIsNamedButNeverEchoed() throws IOException {
    assertThat(
            problems(
                withCredentials(
                    "role_arn: arn:aws:iam::123456789012:role/r\nexternal_id: 'secret id!'\n")))
        .singleElement()
        .asString()
        .endsWith(
            "destinations.events.credentials.external_id: is not a valid external id: 2 to 1224 of letters, "
                + "digits and +=,.@:/-")
        .doesNotContain("secret id");
  }

  @Test
  void roleSettingsWithoutARoleArnAreRejected() throws IOException {
    assertThat(problems(withCredentials("external_id: abc123\nsession_duration: 1h\n")))
        .extracting(ConfigReaderTest::afterKey)
        .containsExactlyInAnyOrder(
            "destinations.events.credentials.external_id: only applies when assuming a role; add role_arn, or remove "
                + "external_id",
            "destinations.events.credentials.session_duration: only applies when assuming a role; add role_arn, or "
                + "remove session_duration");
  }

  @Test
  void aProfileAndStaticKeysAreExclusive() throws IOException {
    assertThat(
            problems(
                withCredentials(
                    CREDENTIALS.strip().replace("      ", "") + "\nprofile: analytics\n")))
        .singleElement()
        .extracting(ConfigReaderTest::afterKey)
        .isEqualTo(
            "destinations.events.credentials.profile: "
                + "give either a profile or static keys (access_key_id, secret_access_key), not both");
  }

  @Test
  void aSessionTokenNeedsTheKeysItBelongsTo() throws IOException {
    assertThat(problems(withCredentials("session_token: abc\n")))
        .singleElement()
        .asString()
        .endsWith(
            "destinations.events.credentials.session_token: a session token goes with access_key_id and "
                + "secret_access_key; give them too, or remove it");
  }

  @Test
  void anUnknownCredentialsKeyListsTheValidOnes() throws IOException {
    assertThat(problems(withCredentials("role: arn:aws:iam::123456789012:role/r\n")))
        .singleElement()
        .asString()
        .contains("credentials.role: unknown key; did you mean 'role_arn'?")
        .contains("role_arn, external_id, session_name, session_duration, sts_endpoint");
  }

  @Test
  void retentionIsADurationFromAnHourToTenYears() throws IOException {
    assertThat(read("retention: 36h\n" + VALID).config().orElseThrow().retention())
        .isEqualTo(Duration.ofHours(36));
    assertThat(read("retention: 30d\n" + VALID).config().orElseThrow().retention())
        .isEqualTo(Duration.ofDays(30));
    for (String bad : List.of("forever", "30m", "0d")) {
      assertThat(problems("retention: " + bad + "\n" + VALID))
          .as(bad)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "retention: '"
                  + bad
                  + "' is not valid; expected how long "
                  + "runs and their API calls are kept, from 1h to 3650d, such as 7d or 36h (default 7d)");
    }
  }

  @Test
  void aDestinationMayLimitItsConcurrencyAndShareOfEachShard() throws IOException {
    String sending =
        "    endpoint: http://127.0.0.1:4567\n    max_in_flight: 8\n    shard_share: 50%\n";
    DestinationConfig events =
        read(VALID.replace("    endpoint: http://127.0.0.1:4567\n", sending))
            .config()
            .orElseThrow()
            .destination("events");
    assertThat(events.sending().maxInFlight()).contains(8);
    assertThat(events.sending().shardSharePercent()).contains(50);
    assertThat(read(VALID).config().orElseThrow().destination("events").sending())
        .isEqualTo(DestinationConfig.Sending.DEFAULTS);
    assertThat(ProducerSettings.defaults().maxInFlight()).isEqualTo(4);
    assertThat(ProducerSettings.defaults().outageTimeout()).isEqualTo(Duration.ofMinutes(2));
    for (String share : List.of("50", "'50 %'", "' 50% '")) {
      assertThat(
              read(VALID.replace(
                      "    region: us-east-1\n",
                      "    region: us-east-1\n    shard_share: " + share + "\n"))
                  .config()
                  .orElseThrow()
                  .destination("events")
                  .sending()
                  .shardSharePercent())
          .as(share)
          .contains(50);
    }
  }

  @Test
  void badSendingSettingsNameTheRange() throws IOException {
    for (String bad : List.of("0", "33", "four", "-1")) {
      assertThat(
              problems(
                  VALID.replace(
                      "    region: us-east-1\n",
                      "    region: us-east-1\n    max_in_flight: " + bad + "\n")))
          .as(bad)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "destinations.events.max_in_flight: '"
                  + bad
                  + "' is not valid; expected how many PutRecords requests "
                  + "may be in flight at once, from 1 to 32 (default 4)");
    }
    for (String bad : List.of("0", "0%", "101%", "half")) {
      assertThat(
              problems(
                  VALID.replace(
                      "    region: us-east-1\n",
                      "    region: us-east-1\n    shard_share: '" + bad + "'\n")))
          .as(bad)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "destinations.events.shard_share: '"
                  + bad
                  + "' is not valid; expected the percentage of each shard's "
                  + "write limits Rowstream may use, from 1% to 100% (default 100%), e.g. 50%");
    }
  }

  @Test
  void aDestinationMayBoundHowLongARunRidesOutAnOutage() throws IOException {
    assertThat(read(VALID).config().orElseThrow().destination("events").sending().outageTimeout())
        .isEmpty();
    for (var ok :
        Map.of(
                "30s",
                Duration.ofSeconds(30),
                "2m",
                Duration.ofMinutes(2),
                "1s",
                Duration.ofSeconds(1),
                "1h30m",
                Duration.ofMinutes(90))
            .entrySet()) {
      assertThat(
              read(VALID.replace(
                      "    region: us-east-1\n",
                      "    region: us-east-1\n    outage_timeout: " + ok.getKey() + "\n"))
                  .config()
                  .orElseThrow()
                  .destination("events")
                  .sending()
                  .outageTimeout())
          .as(ok.getKey())
          .contains(ok.getValue());
    }
    for (String bad : List.of("0s", "500", "soon", "-1m")) {
      assertThat(
              problems(
                  VALID.replace(
                      "    region: us-east-1\n",
                      "    region: us-east-1\n    outage_timeout: '" + bad + "'\n")))
          .as(bad)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "destinations.events.outage_timeout: '"
                  + bad
                  + "' is not valid; expected how long a run rides out an "
                  + "endpoint that does not answer before it fails, at least 1s, such as 30s, 2m or 1h (default 2m)");
    }
  }

  @Test
  void aBadMaxRecordBytesNamesTheRange() throws IOException {
    for (String bad : List.of("0", "big", "10485761")) {
      assertThat(
              problems(
                  VALID.replace(
                      "    initial_sync: skip\n",
                      "    initial_sync: skip\n    max_record_bytes: " + bad + "\n")))
          .as(bad)
          .singleElement()
          .extracting(ConfigReaderTest::afterKey)
          .isEqualTo(
              "syncs.customers.max_record_bytes: '"
                  + bad
                  + "' is not valid; expected a byte count from 1 to 10485760 "
                  + "(default "
                  + SyncConfig.DEFAULT_MAX_RECORD_BYTES
                  + ")");
    }
    assertThat(
            read(VALID.replace(
                    "    initial_sync: skip\n",
                    "    initial_sync: skip\n    max_record_bytes: 2000\n"))
                .config()
                .orElseThrow()
                .sync("customers")
                .maxRecordBytes())
        .isEqualTo(2000);
  }
}
