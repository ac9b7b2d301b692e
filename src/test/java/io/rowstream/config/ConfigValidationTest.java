package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs that used to pass {@code validate} and fail later, or fail with raw exception text: each
 * is one clear problem at {@code validate}, with file, line and key, sorted by line.
 */
class ConfigValidationTest {
  private static final String VALID =
      """
      sources:
        warehouse:
          type: duckdb
          path: demo.duckdb
      destinations:
        events:
          type: kinesis
          region: us-east-1
          endpoint: http://127.0.0.1:4567
      syncs:
        customers:
          source: warehouse
          table: customers
          primary_key: id
          destination: events
          stream: customer-events
      """;

  @TempDir Path dir;

  private ConfigResult read(String yaml) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml);
    return ConfigReader.read(file, Map.of());
  }

  private List<String> problems(String yaml) throws IOException {
    return read(yaml).problems().stream()
        .map(p -> p.line() + ": " + p.key() + ": " + p.message())
        .toList();
  }

  @Test
  void anEndpointPortOutOfRangeIsAConfigError() throws IOException {
    assertThat(problems(VALID.replace("http://127.0.0.1:4567", "http://127.0.0.1:99999")))
        .containsExactly(
            "9: destinations.events.endpoint: port 99999 of 'http://127.0.0.1:99999' is not a TCP port; expected 1 to "
                + "65535, e.g. http://127.0.0.1:4567");
    assertThat(problems(VALID.replace("http://127.0.0.1:4567", "http://127.0.0.1:0"))).hasSize(1);
    assertThat(read(VALID.replace("http://127.0.0.1:4567", "https://kinesis.example.com")).ok())
        .isTrue();
  }

  @Test
  void anStsEndpointPortOutOfRangeIsAConfigError() throws IOException {
    String yaml =
        VALID.replace(
            "    endpoint: http://127.0.0.1:4567\n",
            """
            endpoint: http://127.0.0.1:4567
            credentials:
              role_arn: arn:aws:iam::123456789012:role/x
              sts_endpoint: http://127.0.0.1:70000
        """);
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("12: destinations.events.credentials.sts_endpoint: port 70000 of");
  }

  @Test
  void aConstantExplicitHashKeyOutOfRangeIsAConfigError() throws IOException {
    String tooBig = "340282366920938463463374607431768211456"; // 2^128
    for (String bad : List.of(tooBig, "007", "-1", "12a")) {
      assertThat(problems(VALID + "    explicit_hash_key: \"" + bad + "\"\n"))
          .as(bad)
          .singleElement()
          .asString()
          .isEqualTo(
              "17: syncs.customers.explicit_hash_key: '"
                  + bad
                  + "' is not an explicit hash key: a decimal "
                  + "from 0 to 2^128-1 (340282366920938463463374607431768211455) without leading zeros, or a template "
                  + "such as \"{{ row.hash_key }}\"");
    }
    assertThat(
            read(VALID + "    explicit_hash_key: \"340282366920938463463374607431768211455\"\n")
                .ok())
        .isTrue();
    assertThat(read(VALID + "    explicit_hash_key: \"0\"\n").ok()).isTrue();
    assertThat(read(VALID + "    explicit_hash_key: \"{{ row.id }}\"\n").ok()).isTrue();
  }

  @Test
  void aConstantPartitionKeyOverTheLimitIsAConfigError() throws IOException {
    assertThat(problems(VALID + "    partition_key: \"" + "k".repeat(257) + "\"\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "17: syncs.customers.partition_key: is 257 characters long; a partition key is 1 to 256 characters");
  }

  @Test
  void aStateFolderUnderAFileIsAConfigErrorNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("not-a-folder"), "x");

    assertThat(problems("state: not-a-folder/state\n" + VALID))
        .singleElement()
        .asString()
        .isEqualTo(
            "1: state: cannot keep the state in "
                + dir.toAbsolutePath().resolve("not-a-folder/state")
                + ": "
                + dir.toAbsolutePath().resolve("not-a-folder")
                + " is a file, not a folder; point state: at a folder");
  }

  @Test
  void aConfigThatIsNotUtf8IsAConfigErrorAtItsLine() throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    byte[] latin1 =
        VALID.replace("customer-events", "caf\u00e9-events").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, latin1);

    ConfigResult result = ConfigReader.read(file, Map.of());

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(16);
              assertThat(p.message())
                  .isEqualTo(
                      "is not UTF-8 text; save it as UTF-8 (a config holds names, SQL and templates, "
                          + "all UTF-8)");
            });
  }

  @Test
  void aFolderGivenAsTheConfigIsAConfigError() {
    ConfigResult result = ConfigReader.read(dir, Map.of());

    assertThat(result.problems())
        .singleElement()
        .asString()
        .isEqualTo(
            dir
                + ": is a folder, not a file; pass --config "
                + dir.resolve("rowstream.yaml")
                + ", or run `rowstream init` there");
  }

  @Test
  void yamlMergeKeysMergeTheAnchoredSettingsAndExplicitKeysWin() throws IOException {
    ConfigResult result =
        read(
            """
        x-sync-defaults: &defaults
          source: warehouse
          primary_key: id
          destination: events
          on: [added, changed]
        sources:
          warehouse:
            type: duckdb
            path: demo.duckdb
        destinations:
          events:
            type: kinesis
            region: us-east-1
        syncs:
          customers:
            <<: *defaults
            table: customers
            stream: customer-events
          orders:
            <<: [*defaults]
            table: orders
            stream: orders
            on: [removed]
        """);

    assertThat(result.problems()).isEmpty();
    RowstreamConfig config = result.config().orElseThrow();
    assertThat(config.sync("customers").primaryKey()).isEqualTo("id");
    assertThat(config.sync("customers").on()).hasSize(2);
    assertThat(config.sync("orders").destination()).isEqualTo("events");
    assertThat(config.sync("orders").on()).singleElement().asString().isEqualTo("REMOVED");
  }

  @Test
  void aMergeKeyOfSomethingOtherThanAMappingIsAConfigError() throws IOException {
    assertThat(
            problems(
                VALID.replace("    table: customers\n", "    table: customers\n    <<: plain\n")))
        .singleElement()
        .asString()
        .contains("a merge key (<<) takes a mapping");
  }

  @Test
  void problemsAreSortedByLine() throws IOException {
    ConfigResult result =
        read(
            """
        syncs:
          customers:
            source: nosuch
            table: customers
            primary_key: id
            destination: events
            stream: customer-events
        destinations:
          events:
            type: kinesis
            region: nowhere
        sources:
          warehouse:
            type: oracle
        """);

    assertThat(result.problems())
        .extracting(ConfigProblem::line)
        .hasSizeGreaterThanOrEqualTo(3)
        .isSorted();
  }
}
