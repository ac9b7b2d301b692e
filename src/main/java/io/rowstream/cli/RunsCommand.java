package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.state.RejectedRow;
import io.rowstream.state.RunRecord;
import io.rowstream.state.StateStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "Run history of a sync, newest first; or the rejected rows of one run.")
final class RunsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC")
  String sync;

  @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "how many runs (default: 20)")
  int limit;

  @Option(names = "--rejections", paramLabel = "RUN", description = "list the rejected rows of this run")
  String rejectionsOf;

  @Option(names = "--json", description = "one JSON run summary per line")
  boolean json;

  @Override
  public Integer call() throws Exception {
    RowstreamConfig c = config.load();
    c.sync(sync);
    Limits.atLeastOne("-n/--limit", limit);
    PrintWriter out = spec.commandLine().getOut();
    try (StateStore state = StateStore.open(c.stateDir(), sync)) {
      if (rejectionsOf != null) {
        if (state.run(rejectionsOf).isEmpty()) {
          throw RowstreamException.user(ErrorCode.NOT_FOUND, "no run '" + rejectionsOf + "' in the history of sync "
              + sync + "; list its runs with `rowstream runs " + sync + "` (runs older than the retention are deleted)");
        }
        for (RejectedRow row : state.rejections(rejectionsOf, limit)) {
          out.printf("%-24s %-8s %-40s %s%n", row.key() == null ? "-" : row.key(),
              row.event() == null ? "-" : row.event(), row.reason(), row.message());
        }
        return Main.EXIT_OK;
      }
      if (!json) {
        out.printf("%-26s %-24s %-22s %8s %8s %8s  %s%n", "RUN", "STARTED", "STATUS", "ROWS", "SENT", "REJECTED", "ERROR");
      }
      for (RunRecord run : state.runs(limit)) {
        JsonNode summary = JSON.readTree(run.summaryJson().orElse("{}"));
        if (json) {
          out.println(run.summaryJson().orElse("{\"run_id\": \"" + run.runId() + "\", \"status\": \"" + run.status() + "\"}"));
          continue;
        }
        long sent = 0;
        for (String type : new String[] {"added", "changed", "removed"}) {
          sent += summary.path(type).path("sent").asLong();
        }
        long rejected = 0;
        for (JsonNode n : summary.path("rejections")) {
          rejected += n.asLong();
        }
        out.printf("%-26s %-24s %-22s %8d %8d %8d  %s%n", run.runId(), run.startedAt(), run.status(),
            summary.path("rows_queried").asLong(), sent, rejected, summary.path("error").asText(""));
      }
    }
    return Main.EXIT_OK;
  }
}
