package io.rowstream.cli;

import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.alerts.Alerting;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.run.RunSummary;
import io.rowstream.store.StateBackends;
import java.io.PrintWriter;

/**
 * Alerting after a one-shot run: one line on stderr per notification; the run's outcome stays as it
 * is.
 */
final class AlertsOutput {
  private AlertsOutput() {}

  static void afterRun(RowstreamConfig config, RunSummary summary, PrintWriter err) {
    try {
      Alerting.Report report =
          Alerting.create(config, StateBackends.forConfig(config).documents())
              .afterRun(config.sync(summary.sync()), summary);
      for (SentNotification n : report.sent()) {
        err.println(
            "alert "
                + n.level()
                + " "
                + summary.sync()
                + " "
                + n.trigger()
                + " (was "
                + n.previous()
                + ") to "
                + n.channel()
                + ": "
                + n.outcome());
      }
      report.error().ifPresent(e -> err.println("alerts: not evaluated: " + e));
    } catch (RuntimeException e) {
      err.println("alerts: not evaluated: " + e.getMessage());
    }
  }
}
