package io.rowstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunEnd;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunStatus;
import io.rowstream.store.StateBackend;
import io.rowstream.store.StateBackends;
import io.rowstream.store.SyncStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "reset",
    description =
        "Forget the delivered state of a sync (or of some rows): the next run sends "
            + "them as added.")
final class ResetCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC")
  String sync;

  @Option(
      names = "--keys",
      paramLabel = "K",
      arity = "1..*",
      description = "only these primary key values")
  List<String> keys;

  @Override
  public Integer call() {
    RowstreamConfig c = config.load();
    c.sync(sync);
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String id =
        ID.format(at) + "-reset-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
    long forgotten;
    // the state's lease: refused while a run of the sync is going on
    StateBackend backend = StateBackends.forConfig(c);
    try (SyncStore state = backend.open(sync);
        RunHistory history = backend.openHistory(state, Clock.systemUTC())) {
      forgotten = state.forget(Optional.ofNullable(keys).map(List::copyOf));
      ObjectNode summary = JSON.createObjectNode();
      summary
          .put("sync", sync)
          .put("run_id", id)
          .put("status", RunStatus.RESET.label())
          .put("started_at", at.toString())
          .put("finished_at", at.toString())
          .put("forgotten", forgotten);
      if (keys == null) {
        summary.put("keys", "all");
      } else {
        keys.forEach(summary.putArray("keys")::add);
      }
      history.runStarted(id, at.toString());
      history.runFinished(
          id,
          new RunEnd(
              at.toString(),
              RunStatus.RESET,
              new RunCounts(forgotten, Map.of(), 0, 0, Map.of()),
              Optional.empty(),
              summary.toString()));
    }
    spec.commandLine()
        .getOut()
        .printf(
            "%s: forgot the delivered state of %d row(s)%s; the next run sends %s as " + "added%n",
            sync,
            forgotten,
            keys == null ? "" : " (" + keys.size() + " key(s) asked)",
            forgotten == 1 ? "it" : "them");
    return Main.EXIT_OK;
  }
}
