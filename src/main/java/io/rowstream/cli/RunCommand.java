package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import io.rowstream.run.SyncRunner;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = "Run a sync once: query, plan, send, commit.",
    footer =
        "Exit codes: 0 succeeded, 1 failed, 2 usage or config error, 3 completed with rejected rows, "
            + "143 or 130 cancelled by SIGTERM or SIGINT (after committing what was acknowledged).")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC", description = "the sync to run")
  String sync;

  @Option(names = "--json", description = "print the run summary as one JSON object on stdout")
  boolean json;

  @Option(
      names = "--full-resync",
      description =
          "forget the delivered state of every row (as reset does), then "
              + "send every row of the model as added, all in this run")
  boolean fullResync;

  @Override
  public Integer call() {
    RowstreamConfig c = config.load();
    SyncRunner runner = new SyncRunner(c, KinesisDestination::connect);
    RunTally tally = SyncRunner.newTally();
    RunSummary summary;
    double seconds;
    Optional<Integer> signalled;
    try (RunSignals signals = RunSignals.install(tally, spec.commandLine().getErr());
        Progress progress = Progress.start(tally, spec.commandLine().getErr())) {
      summary = runner.run(sync, tally, fullResync ? RunOptions.FULL_RESYNC : RunOptions.DEFAULT);
      seconds = progress.seconds();
      signalled = signals.exitCode();
    }
    tally.notices().forEach(n -> spec.commandLine().getErr().println("rowstream: note: " + n));
    if (json) {
      spec.commandLine().getOut().println(summary.toJson());
      spec.commandLine().getErr().println(summary.oneLine(seconds));
    } else {
      spec.commandLine().getOut().println(summary.oneLine(seconds));
      if (summary.rejected() > 0) {
        spec.commandLine()
            .getOut()
            .println(
                "rejected rows are retried in the next run; see them with: rowstream runs "
                    + sync
                    + " --rejections "
                    + summary.runId()
                    + ", and one row's attempts with: rowstream debug "
                    + summary.runId()
                    + " --key PK");
      }
    }
    AlertsOutput.afterRun(c, summary, spec.commandLine().getErr());
    if (summary.status() == RunSummary.Status.CANCELLED && signalled.isPresent()) {
      return signalled.get();
    }
    return summary.status().exitCode();
  }
}
