package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one place a config's defaults come from: the builder. */
class RowstreamConfigTest {
  private static final Path DIR = Path.of("/tmp/project");
  private static final Path FILE = DIR.resolve("rowstream.yaml");

  @Test
  void aBuiltConfigHasEveryDefault() {
    RowstreamConfig config = RowstreamConfig.builder(FILE, DIR.resolve(".rowstream")).build();

    assertThat(config.file()).isEqualTo(FILE);
    assertThat(config.stateDir()).isEqualTo(DIR.resolve(".rowstream"));
    assertThat(config.sources()).isEmpty();
    assertThat(config.destinations()).isEmpty();
    assertThat(config.syncs()).isEmpty();
    assertThat(config.syncLogs()).isEmpty();
    assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.alerts()).isEqualTo(AlertsConfig.NONE);
    assertThat(config.server()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(config.debugDataBytes()).isEqualTo(1024);
    assertThat(config.state()).isEqualTo(StateConfig.embedded(DIR.resolve(".rowstream")));
  }

  @Test
  void aConfigRebuiltFromItselfIsEqualAndChangesOnlyWhatIsSet() {
    RowstreamConfig config =
        RowstreamConfig.builder(FILE, DIR)
            .retention(Duration.ofDays(2))
            .debugDataBytes(0)
            .state(StateConfig.embedded(DIR.resolve("elsewhere")))
            .build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
    RowstreamConfig changed = config.toBuilder().retention(Duration.ofHours(1)).build();
    assertThat(changed.retention()).isEqualTo(Duration.ofHours(1));
    assertThat(changed.state()).isEqualTo(config.state());
    assertThat(changed.debugDataBytes()).isZero();
  }

  @Test
  void aNegativeDebugDataBytesIsRefused() {
    assertThatThrownBy(() -> RowstreamConfig.builder(FILE, DIR).debugDataBytes(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("debugDataBytes");
  }

  @Test
  void aMissingSyncIsNamedWithTheSyncsThereAre() {
    RowstreamConfig config = RowstreamConfig.builder(FILE, DIR).syncs(Map.of()).build();
    assertThatThrownBy(() -> config.sync("orders")).hasMessageContaining("no sync named 'orders'");
  }
}
