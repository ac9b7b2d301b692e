package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateConfigTest {
  private static final String REST =
      """
      sources:
        warehouse: {type: duckdb, path: demo.duckdb}
      destinations:
        events: {type: kinesis, region: us-east-1}
      syncs:
        customers:
          source: warehouse
          table: customers
          primary_key: id
          destination: events
          stream: customer-events
      """;

  @TempDir Path dir;

  private ConfigResult read(String state) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, state + REST);
    return ConfigReader.read(file, Map.of("STATE_PASSWORD", "s3cret-state-pw"));
  }

  private List<String> problems(String state) throws IOException {
    return read(state).problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void withoutStateTheEmbeddedStateIsInDotRowstreamBesideTheConfig() throws IOException {
    RowstreamConfig config = read("").config().orElseThrow();
    assertThat(config.state())
        .isEqualTo(StateConfig.embedded(dir.toAbsolutePath().resolve(".rowstream")));
    assertThat(config.stateDir()).isEqualTo(config.state().dir());
  }

  @Test
  void aFolderOrTypeDuckdbWithAPathIsTheEmbeddedStateThere() throws IOException {
    assertThat(read("state: st\n").config().orElseThrow().state())
        .isEqualTo(StateConfig.embedded(dir.toAbsolutePath().resolve("st")));
    assertThat(read("state: {type: duckdb, path: other}\n").config().orElseThrow().state())
        .isEqualTo(StateConfig.embedded(dir.toAbsolutePath().resolve("other")));
  }

  @Test
  void aPostgresStateIsReadWithItsSchemaDefaultAndItsPasswordIsASecretOfTheConfig()
      throws IOException {
    RowstreamConfig config =
        read("""
                state:
                  type: postgres
                  url: jdbc:postgresql://db.internal:5432/ops
                  user: rowstream
                  password: ${STATE_PASSWORD}
                """)
            .config()
            .orElseThrow();

    StateConfig state = config.state();
    assertThat(state.type()).isEqualTo(StateConfig.Type.POSTGRES);
    assertThat(state.url()).contains("jdbc:postgresql://db.internal:5432/ops");
    assertThat(state.user()).contains("rowstream");
    assertThat(state.password().map(Secret::reveal)).contains("s3cret-state-pw");
    assertThat(state.schema()).isEqualTo(StateConfig.DEFAULT_SCHEMA);
    assertThat(config.secretValues()).contains("s3cret-state-pw");
    assertThat(config.redactor().scrub("login s3cret-state-pw failed"))
        .doesNotContain("s3cret-state-pw");
    assertThat(String.valueOf(state)).doesNotContain("s3cret-state-pw");
  }

  @Test
  void aPasswordInTheUrlIsASecretToo() throws IOException {
    RowstreamConfig config =
        read("state: {type: postgres, url: 'jdbc:postgresql://h/db?password=in-url-pw'}\n")
            .config()
            .orElseThrow();
    assertThat(config.secretValues()).contains("in-url-pw");
  }

  @Test
  void anUnknownTypeABadUrlOrSchemaAndUnknownKeysAreNamed() throws IOException {
    assertThat(problems("state: {type: mongo}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("state.type")
        .contains("'mongo' is not a state type; expected duckdb")
        .contains("or postgres");
    assertThat(problems("state: {type: postgres, url: 'mysql://h/db?password=hunter2'}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("state.url")
        .contains("jdbc:postgresql://HOST[:PORT]/DATABASE")
        .doesNotContain("hunter2");
    assertThat(problems("state: {type: postgres}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("state.url")
        .contains("is required");
    assertThat(problems("state: {type: postgres, url: 'jdbc:postgresql://h/db', schema: Bad-1}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("state.schema")
        .contains("'Bad-1' is not a schema name");
    assertThat(problems("state: {type: postgres, url: 'jdbc:postgresql://h/db', pasword: x}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("state.pasword")
        .contains("did you mean 'password'");
    assertThat(problems("state: jdbc:postgresql://h/db\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("type: postgres");
  }

  @Test
  void theEmbeddedStateIsTheDefaultWhenBuiltInCode() {
    RowstreamConfig config = RowstreamConfig.builder(dir.resolve("rowstream.yaml"), dir).build();
    assertThat(config.state()).isEqualTo(StateConfig.embedded(dir));
    assertThat(config.state().password()).isEqualTo(Optional.empty());
  }
}
