package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Triggers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerts.triggers: each trigger's warning and critical thresholds. */
class AlertTriggersSectionTest {
  @TempDir Path dir;

  private ConfigResult read(String triggers) throws IOException {
    return AlertsSectionYaml.read(dir, "triggers", triggers);
  }

  private List<String> problems(String triggers) throws IOException {
    return AlertsSectionYaml.problems(dir, "triggers", triggers);
  }

  @Test
  void eachTriggerReadsItsOwnKindOfThreshold() throws IOException {
    ConfigResult result =
        read(
            """
            fatal_error: {}
            rejected_rows: {warning: 5, critical: 50%}
            slow_run: {warning: 2.5x, critical: 1h}
            data_drop: {warning: 20%, critical: 50%}
            stale: {warning: 1m, critical: 1d}
            """);

    assertThat(result.problems()).isEmpty();
    RowstreamConfig config = result.config().orElseThrow();
    Triggers t = config.alerts().triggersFor(config.sync("customers"));
    assertThat(t.rejectedRows().warning()).contains(new Amount.Count(5));
    assertThat(t.rejectedRows().critical()).contains(new Amount.Share(50));
    assertThat(t.slowRun().warning()).contains(new SlowBy.Factor(2.5));
    assertThat(t.slowRun().critical()).contains(new SlowBy.Longer(Duration.ofHours(1)));
    assertThat(t.dataDropPercent().critical()).contains(50);
    assertThat(t.stale().warning()).contains(Duration.ofMinutes(1));
  }

  @Test
  void aCriticalBelowItsWarningIsAProblem() throws IOException {
    assertThat(problems("data_drop: {warning: 50%, critical: 20%}"))
        .containsExactly(
            "alerts.triggers.data_drop.critical: '20%' is below warning '50%'; "
                + "CRITICAL must be the same or worse than WARNING");
  }

  @Test
  void valuesOutOfRangeNameWhatWouldBeValid() throws IOException {
    List<String> problems =
        problems(
            """
            rejected_rows: {warning: 0}
            slow_run: {warning: 1x}
            data_drop: {warning: 0%}
            stale: {warning: 30s}
            """);

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "alerts.triggers.rejected_rows.warning: '0' is not valid; expected a number of rows"
                + " such as 1, or a share of the rows the run tried to send such as 10%",
            "alerts.triggers.slow_run.warning: '1x' is not valid; expected a duration such as 30m"
                + " or 1h30m, or a factor of the median of the last 10 runs such as 3x",
            "alerts.triggers.data_drop.warning: '0%' is not valid; expected a percentage from 1%"
                + " to 100% such as 20%",
            "alerts.triggers.stale.warning: '30s' is not valid; expected a duration from 1m such"
                + " as 6h or 1d");
  }

  @Test
  void fatalErrorIsAlwaysOnAndTakesNoSettings() throws IOException {
    assertThat(problems("fatal_error: true"))
        .contains(
            "alerts.triggers.fatal_error: is always on and takes no settings: write fatal_error: {}");
  }
}
