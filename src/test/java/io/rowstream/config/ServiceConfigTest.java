package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys of {@code rowstream serve}: server:, and each sync's schedule, after and paused. */
class ServiceConfigTest {
  @TempDir Path dir;

  private ConfigResult read(String server, String... syncs) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            """
        sources:
          model:
            type: duckdb
            path: model.duckdb
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
        """);
    yaml.append(server);
    yaml.append("syncs:\n");
    for (String sync : syncs) {
      yaml.append(sync.indent(2));
    }
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml.toString());
    return ConfigReader.read(file, Map.of("TOKEN", "a-long-api-token-0123456789"));
  }

  private static String sync(String name, String extra) {
    return name
        + ":\n  source: model\n  table: t\n  primary_key: id\n  destination: kinesis\n  stream: s\n"
        + extra.indent(2);
  }

  private static List<String> problems(ConfigResult result) {
    return result.problems().stream().map(p -> p.key() + ": " + p.message()).toList();
  }

  @Test
  void aSyncWithoutScheduleIsManualAndNotPaused() throws IOException {
    SyncConfig sync = read("", sync("a", "")).config().orElseThrow().sync("a");
    assertThat(sync.schedule()).isEqualTo(ScheduleSpec.MANUAL);
    assertThat(sync.paused()).isFalse();
  }

  @Test
  void cronEveryManualAfterAndPausedAreParsed() throws IOException {
    RowstreamConfig c =
        read(
                "",
                sync("a", "schedule: \"*/15 * * * *\""),
                sync("b", "schedule: every 15m\npaused: true"),
                sync("c", "schedule: manual"),
                sync("d", "after: [a, b]"))
            .config()
            .orElseThrow();
    assertThat(c.sync("a").schedule()).isEqualTo(new ScheduleSpec.Cron("*/15 * * * *"));
    assertThat(c.sync("b").schedule())
        .isEqualTo(new ScheduleSpec.Every(Duration.ofMinutes(15), "every 15m"));
    assertThat(c.sync("b").paused()).isTrue();
    assertThat(c.sync("c").schedule()).isEqualTo(ScheduleSpec.MANUAL);
    assertThat(c.sync("d").schedule()).isEqualTo(new ScheduleSpec.After(List.of("a", "b")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a b c d e",
        "99 99 99 99 99",
        "every 0s",
        "every 5s",
        "every 15",
        "every 15 minutes",
        "sometimes",
        "*/15 * * *",
        "* * * * * *",
        "0 0 30 2 *",
        "61 * * * *",
        "* 24 * * *",
        "hourly",
        "every 400d"
      })
  void aScheduleThatIsNotOneIsAConfigErrorNamingTheKey(String schedule) throws IOException {
    ConfigResult result = read("", sync("a", "schedule: \"" + schedule + "\""));
    assertThat(result.ok()).isFalse();
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("syncs.a.schedule");
              assertThat(p.line()).isEqualTo(16);
              assertThat(p.message())
                  .startsWith("'" + schedule + "' is not a schedule")
                  .contains("every 15m");
            });
  }

  @Test
  void afterNamingAnUnknownSyncOrItselfOrACycleIsAConfigError() throws IOException {
    assertThat(problems(read("", sync("a", ""), sync("b", "after: [a, ordrs]"))))
        .containsExactly("syncs.b.after: no sync named 'ordrs'; the syncs are: a, b");
    assertThat(problems(read("", sync("a", "after: [a]"))))
        .containsExactly("syncs.a.after: a sync cannot run after itself");
    assertThat(
            problems(
                read(
                    "", sync("a", "after: [c]"), sync("b", "after: [a]"), sync("c", "after: [b]"))))
        .singleElement()
        .asString()
        .contains("comes back to itself")
        .contains("a -> c -> b -> a");
    assertThat(problems(read("", sync("a", ""), sync("b", "after: [a]\nschedule: every 1h"))))
        .containsExactly(
            "syncs.b.after: give either schedule or after, not both: after already says when the sync runs");
  }

  @Test
  void pausedMustBeTrueOrFalse() throws IOException {
    assertThat(problems(read("", sync("a", "paused: yes please"))))
        .containsExactly(
            "syncs.a.paused: 'yes please' is not valid; expected true or false (default false)");
  }

  @Test
  void theServerSectionHasDefaultsAndReadsEveryKey() throws IOException {
    assertThat(read("", sync("a", "")).config().orElseThrow().server())
        .isEqualTo(ServerConfig.DEFAULTS);
    ServerConfig s =
        read(
                """
        server:
          bind: 0.0.0.0
          port: 9090
          api_token: ${TOKEN}
          max_concurrent_runs: 4
          lease_ttl: 45s
        """,
                sync("a", ""))
            .config()
            .orElseThrow()
            .server();
    assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(45));
    assertThat(s.heartbeat()).as("a third of the TTL").isEqualTo(Duration.ofSeconds(15));
    assertThat(ServerConfig.DEFAULTS.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.bind()).isEqualTo("0.0.0.0");
    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.apiToken().orElseThrow().reveal()).isEqualTo("a-long-api-token-0123456789");
    assertThat(s.auth()).isEqualTo(ServerConfig.Auth.TOKEN);
    assertThat(s.maxConcurrentRuns()).isEqualTo(4);
    assertThat(s.unusable()).isEmpty();
    assertThat(ServerConfig.DEFAULTS.unusable())
        .get()
        .asString()
        .contains("server.api_token is required");
  }

  @Test
  void theApiTokenIsASecretOfTheConfig() throws IOException {
    RowstreamConfig c =
        read("server:\n  api_token: ${TOKEN}\n", sync("a", "")).config().orElseThrow();
    assertThat(c.secretValues()).contains("a-long-api-token-0123456789");
    assertThat(c.server().toString()).doesNotContain("a-long-api-token-0123456789");
  }

  @Test
  void authNoneIsAllowedOnALoopbackBindOnly() throws IOException {
    assertThat(
            read("server:\n  auth: none\n", sync("a", ""))
                .config()
                .orElseThrow()
                .server()
                .unusable())
        .isEmpty();
    assertThat(read("server:\n  bind: ::1\n  auth: none\n", sync("a", "")).ok()).isTrue();
    assertThat(problems(read("server:\n  bind: 0.0.0.0\n  auth: none\n", sync("a", ""))))
        .singleElement()
        .asString()
        .startsWith("server.auth: auth: none is allowed on a loopback bind only");
  }

  @Test
  void maxConcurrentRunsDefaultsToTwiceTheProcessorsFromTwoToEight() {
    assertThat(ServerConfig.defaultMaxConcurrentRuns(1)).isEqualTo(2);
    assertThat(ServerConfig.defaultMaxConcurrentRuns(2)).isEqualTo(4);
    assertThat(ServerConfig.defaultMaxConcurrentRuns(3)).isEqualTo(6);
    assertThat(ServerConfig.defaultMaxConcurrentRuns(16)).isEqualTo(8);
    assertThat(ServerConfig.DEFAULTS.maxConcurrentRuns())
        .isEqualTo(
            ServerConfig.defaultMaxConcurrentRuns(Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void badServerValuesAreConfigErrors() throws IOException {
    assertThat(
            problems(
                read(
                    """
        server:
          port: 99999
          auth: basic
          api_token: short
          max_concurrent_runs: 0
          lease_ttl: 1s
          threads: 4
        """,
                    sync("a", ""))))
        .containsExactlyInAnyOrder(
            "server.port: '99999' is not a port; expected 1 to 65535 (default 8080; 0 picks a free one)",
            "server.auth: 'basic' is not valid; valid: token (default), none",
            "server.api_token: is too short (5 characters); use at least 16 random characters",
            "server.max_concurrent_runs: '0' is not valid; expected 1 to 64 "
                + "(default: twice the processors, 2 to 8; "
                + ServerConfig.DEFAULT_MAX_CONCURRENT_RUNS
                + " here)",
            "server.lease_ttl: '1s' is not valid; expected how long a worker keeps a sync without"
                + " a heartbeat, from 2s to 1h, such as 30s (default 30s)",
            "server.threads: unknown key Valid keys here: bind, port, api_token, auth, "
                + "max_concurrent_runs, public_url, lease_ttl");
  }
}
