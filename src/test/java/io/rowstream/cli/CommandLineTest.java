package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract: a global --config, exit 2 for every usage error, one clear line
 * each.
 */
class CommandLineTest {
  @TempDir Path dir;
  private Path config;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("rowstream.yaml");
    Files.writeString(
        config,
        """
        sources:
          model:
            type: duckdb
            path: model.duckdb
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: http://127.0.0.1:1
            credentials:
              access_key_id: test
              secret_access_key: cli-test-secret
        syncs:
          customers:
            source: model
            table: customers
            primary_key: id
            destination: kinesis
            stream: customer-events
        """);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void configIsGlobalBeforeOrAfterTheCommand() {
    Result before = run("--config", config.toString(), "validate");
    Result after = run("validate", "--config", config.toString());

    assertThat(before.exitCode()).as(before.err()).isZero();
    assertThat(before.out()).contains(config + " is valid");
    assertThat(after.out()).isEqualTo(before.out());
  }

  @Test
  void helpWorksAfterAnyCommandAndNamesTheGlobalConfig() {
    Result r = run("run", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: rowstream run").contains("--config=FILE");
  }

  @Test
  void everyUsageErrorExitsTwoWithOneLineNamingIt() {
    assertThat(run("nosuch"))
        .satisfies(
            r -> {
              assertThat(r.exitCode()).isEqualTo(2);
              assertThat(r.err())
                  .startsWith("rowstream: [usage_error] Unmatched argument at index 0: 'nosuch'");
            });
    assertThat(run("validate", "--bogus").exitCode()).isEqualTo(2);
    assertThat(run("--bogus", "validate").exitCode()).isEqualTo(2);
    assertThat(run("runs").err()).contains("Missing required parameter: 'SYNC'");
    assertThat(run("runs", "customers", "-n", "x", "--config", config.toString()).exitCode())
        .isEqualTo(2);
    assertThat(run("--config").exitCode()).isEqualTo(2);
    assertThat(run().exitCode()).isEqualTo(2);
  }

  @Test
  void negativeOrZeroLimitsAreUsageErrorsBeforeAnythingRuns() {
    Result runs = run("--config", config.toString(), "runs", "customers", "-n", "-5");
    Result read =
        run("--config", config.toString(), "read", "kinesis", "customer-events", "-n", "-1");
    Result preview = run("--config", config.toString(), "preview", "customers", "-n", "0");

    assertThat(runs.exitCode()).isEqualTo(2);
    assertThat(runs.err())
        .isEqualTo(
            "rowstream: [usage_error] -n/--limit must be 1 or more, not -5"
                + System.lineSeparator());
    assertThat(read.exitCode()).isEqualTo(2);
    assertThat(read.err()).contains("-n/--limit must be 1 or more, not -1");
    assertThat(preview.exitCode()).isEqualTo(2);
    assertThat(preview.err()).contains("-n must be from 1 to 10000, not 0");
  }

  @Test
  void creatingAStreamWithoutShardsIsRefusedBeforeTheServerIsAsked() {
    // the endpoint is port 1, where nothing listens: an answer other than the usage error would be
    // a network error
    Result r =
        run("--config", config.toString(), "streams", "kinesis", "--create", "x", "--shards", "0");
    Result badName =
        run("--config", config.toString(), "streams", "kinesis", "--create", "no spaces");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "rowstream: [usage_error] --shards must be 1 or more, not 0" + System.lineSeparator());
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).contains("'no spaces' is not a valid stream name");
  }

  @Test
  void rejectionsOfARunThatDoesNotExistIsNotFound() {
    Result r = run("--config", config.toString(), "runs", "customers", "--rejections", "NOSUCH");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("rowstream: [not_found] no run 'NOSUCH' in the history of sync customers");
  }

  @Test
  void anUnknownSyncIsNotFoundAndAConfigErrorIsConfigInvalid() throws IOException {
    Result sync = run("--config", config.toString(), "runs", "nosuch");
    Files.writeString(config, "syncs: [");
    Result invalid = run("--config", config.toString(), "validate");

    assertThat(sync.exitCode()).isEqualTo(2);
    assertThat(sync.err()).startsWith("rowstream: [not_found] no sync named 'nosuch'");
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err()).startsWith("rowstream: [config_invalid] the config has 1 problem:");
  }

  @Test
  void whatACommandPrintsIsScrubbedOfTheConfigsSecrets() throws IOException {
    // a missing DuckDB file: the error names the path, which here holds the secret
    Files.writeString(
        config,
        Files.readString(config).replace("path: model.duckdb", "path: cli-test-secret.duckdb"));

    Result r = run("--config", config.toString(), "preview", "customers", "--offline");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("[source_unreachable]")
        .contains("****.duckdb")
        .doesNotContain("cli-test-secret");
  }
}
