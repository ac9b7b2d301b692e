package io.rowstream.cli;

import io.rowstream.core.EventType;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunSummary;
import io.rowstream.run.SyncRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    description = "Dry run: count added, changed, removed and invalid rows; sends nothing.")
final class PlanCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC")
  String sync;

  @Option(names = "--json", description = "print the counts as JSON")
  boolean json;

  @Override
  public Integer call() {
    SyncRunner runner = new SyncRunner(config.load(), KinesisDestination::connect);
    RunSummary plan;
    var tally = SyncRunner.newTally();
    try (Progress progress = Progress.start(tally, spec.commandLine().getErr())) {
      plan = runner.plan(sync, tally);
    }
    var out = spec.commandLine().getOut();
    tally.notices().forEach(n -> spec.commandLine().getErr().println("rowstream: note: " + n));
    if (json) {
      var o = plan.toJson();
      o.remove("run_id");
      tally.notices().forEach(o.putArray("notices")::add);
      out.println(o);
    } else if (plan.status() == RunSummary.Status.FAILED) {
      spec.commandLine()
          .getErr()
          .println(
              "rowstream: "
                  + plan.errorCode().map(Main::label).orElse("")
                  + plan.error().orElse("planning failed"));
    } else {
      out.printf("%s: %d rows in the model%n", sync, plan.rowsQueried());
      for (EventType t : EventType.values()) {
        out.printf("  %-8s %d%n", t.label(), plan.counts(t).planned());
      }
      out.printf(
          "  %-8s %d (events not in on:, state advances without sending)%n",
          "skipped", plan.skipped());
      out.printf(
          "  %-8s %d%s%n",
          "invalid", plan.rejected(), plan.rejections().isEmpty() ? "" : " " + plan.rejections());
    }
    return plan.status() == RunSummary.Status.FAILED ? Main.EXIT_FAILED : Main.EXIT_OK;
  }
}
