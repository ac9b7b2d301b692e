package io.rowstream.cli;

import io.rowstream.alerts.AlertState;
import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.alerts.AlertState.TriggerState;
import io.rowstream.alerts.Alerting;
import io.rowstream.alerts.Trigger;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.store.StateBackends;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "alerts",
    description =
        "Each trigger's state per sync, and the notifications sent with their delivery outcome.",
    subcommands = AlertsCommand.Test.class)
final class AlertsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC", arity = "0..1", description = "one sync (default: every sync)")
  String sync;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "20",
      description = "how many notifications (default: 20)")
  int limit;

  @Option(
      names = "--json",
      description = "one JSON object per sync: its triggers, figures and notifications")
  boolean json;

  @Override
  public Integer call() {
    RowstreamConfig c = config.load();
    List<SyncConfig> syncs = sync == null ? List.copyOf(c.syncs().values()) : List.of(c.sync(sync));
    Alerting alerting = Alerting.create(c, StateBackends.forConfig(c).documents());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      for (SyncConfig s : syncs) {
        var o = alerting.state(s.name()).toJson();
        o.remove("version");
        out.println(o.put("sync", s.name()));
      }
      return Main.EXIT_OK;
    }
    out.printf("%-20s %-14s %-9s %-25s %s%n", "SYNC", "TRIGGER", "STATE", "SINCE", "WHY");
    List<String[]> log = new ArrayList<>();
    for (SyncConfig s : syncs) {
      AlertState state = alerting.state(s.name());
      for (Trigger t : Trigger.values()) {
        TriggerState ts = state.triggers().get(t);
        out.printf(
            "%-20s %-14s %-9s %-25s %s%n",
            s.name(),
            t.code(),
            ts == null ? Level.OK : ts.level(),
            ts == null ? "-" : ts.since(),
            ts == null
                ? "not evaluated yet"
                : ts.reason() + ts.runId().map(id -> " (run " + id + ")").orElse(""));
      }
      for (SentNotification n : state.notifications()) {
        log.add(
            new String[] {
              n.at().toString(),
              s.name(),
              n.trigger(),
              n.channel(),
              n.previous() + "->" + n.level(),
              n.outcome()
            });
      }
    }
    out.println();
    if (log.isEmpty()) {
      out.println(
          c.alerts().channels().isEmpty()
              ? "No notifications: no channels are configured (see alerts: in the README)."
              : "No notifications sent yet.");
      return Main.EXIT_OK;
    }
    out.printf(
        "%-26s %-20s %-14s %-12s %-18s %s%n",
        "SENT", "SYNC", "TRIGGER", "CHANNEL", "CHANGE", "OUTCOME");
    log.sort(Comparator.comparing((String[] row) -> row[0]).reversed());
    log.stream()
        .limit(limit)
        .forEach(row -> out.printf("%-26s %-20s %-14s %-12s %-18s %s%n", (Object[]) row));
    return Main.EXIT_OK;
  }

  @Command(
      name = "test",
      description =
          "Send a test notification to a channel and report the outcome (exit 1 if it failed).")
  static final class Test implements Callable<Integer> {
    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CHANNEL", description = "a channel of alerts.channels")
    String channel;

    @Override
    public Integer call() {
      RowstreamConfig c = config.load();
      SentNotification n = Alerting.create(c, StateBackends.forConfig(c).documents()).test(channel);
      String type = c.alerts().channels().get(channel).type();
      if (n.delivered()) {
        spec.commandLine()
            .getOut()
            .println("test notification to " + channel + " (" + type + "): " + n.outcome());
        return Main.EXIT_OK;
      }
      spec.commandLine()
          .getErr()
          .println("test notification to " + channel + " (" + type + "): " + n.outcome());
      return Main.EXIT_FAILED;
    }
  }
}
