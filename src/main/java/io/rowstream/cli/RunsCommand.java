package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunView;
import io.rowstream.store.StateBackends;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    description = "Run history of a sync, newest first; or the rejected rows of one run.")
final class RunsCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC")
  String sync;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "20",
      description = "how many runs (default: 20)")
  int limit;

  @Option(
      names = "--rejections",
      paramLabel = "RUN",
      description = "list the rejected rows of this run")
  String rejectionsOf;

  @Option(names = "--json", description = "one JSON run summary per line")
  boolean json;

  @Override
  public Integer call() throws Exception {
    RowstreamConfig c = config.load();
    c.sync(sync);
    Limits.atLeastOne("-n/--limit", limit);
    PrintWriter out = spec.commandLine().getOut();
    // read-only: creates nothing, and reads while a run of the sync writes (in this or another
    // process)
    try (HistoryReader history = StateBackends.forConfig(c).readHistory(sync)) {
      if (rejectionsOf != null) {
        if (history.run(rejectionsOf).isEmpty()) {
          throw RowstreamException.user(
              ErrorCode.NOT_FOUND,
              "no run '"
                  + rejectionsOf
                  + "' in the history of sync "
                  + sync
                  + "; list its runs with `rowstream runs "
                  + sync
                  + "` (runs older than the retention are deleted)");
        }
        for (RejectedRow row : history.rejections(rejectionsOf, limit)) {
          out.printf(
              "%-24s %-8s %-40s %s%n",
              row.key() == null ? "-" : row.key(),
              row.event() == null ? "-" : row.event(),
              row.reason(),
              row.message());
        }
        return Main.EXIT_OK;
      }
      if (!json) {
        out.printf(
            "%-26s %-24s %-22s %8s %8s %8s  %s%n",
            "RUN", "STARTED", "STATUS", "ROWS", "SENT", "REJECTED", "ERROR");
      }
      for (RunView run : history.runs(limit)) {
        if (json) {
          out.println(RunViews.json(sync, run));
          continue;
        }
        String status =
            run.running() ? run.status().label() + " (" + run.phase() + ")" : run.status().label();
        out.printf(
            "%-26s %-24s %-22s %8d %8d %8d  %s%n",
            run.runId(),
            run.startedAt(),
            status,
            run.counts().rows(),
            run.counts().sent(),
            run.counts().rejected(),
            run.error().orElse(""));
      }
    }
    return Main.EXIT_OK;
  }
}
