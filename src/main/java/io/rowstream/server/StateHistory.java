package io.rowstream.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunCounts;
import io.rowstream.history.RunStatus;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import io.rowstream.schedule.SyncHistory;
import io.rowstream.server.api.RunHistory;
import io.rowstream.store.StateBackends;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stored run history through the history's read side ({@link HistoryReader}): a read never
 * waits for a run and never blocks one, in this process or another. The newest run of each sync is
 * read once at start, for the scheduler (a missed schedule, after:) and the sync list.
 */
final class StateHistory implements RunHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RowstreamConfig> config;
  private final BiFunction<RowstreamConfig, String, HistoryReader> opener;
  private final Map<String, StoredRun> latest = new ConcurrentHashMap<>();
  private final RunIndex index = new RunIndex();

  StateHistory(Supplier<RowstreamConfig> config) {
    this(config, (c, sync) -> StateBackends.forConfig(c).readHistory(sync));
  }

  /**
   * @param opener opens a sync's history for reading (the config, the sync)
   */
  StateHistory(
      Supplier<RowstreamConfig> config, BiFunction<RowstreamConfig, String, HistoryReader> opener) {
    this.config = config;
    this.opener = opener;
  }

  /** A run this service started: {@link #run(String)} finds it in its sync's history at once. */
  void started(String sync, String runId) {
    index.add(sync, runId);
  }

  /**
   * Reads what the scheduler needs of each sync's past, and indexes the sync's run ids (so a run is
   * looked up by id in its own sync's history).
   */
  Map<String, SyncHistory> load(RowstreamConfig c, Iterable<String> syncs) {
    Map<String, SyncHistory> out = new ConcurrentHashMap<>();
    for (String sync : syncs) {
      try (HistoryReader reader = opener.apply(c, sync)) {
        index.addAll(sync, reader.runIds());
        List<RunView> runs =
            reader.runs(50).stream().filter(r -> r.status() != RunStatus.RESET).toList();
        if (runs.isEmpty()) {
          continue;
        }
        latest.put(sync, stored(sync, runs.get(0)));
        Optional<Instant> succeeded =
            runs.stream()
                .filter(r -> r.status() == RunStatus.SUCCEEDED)
                .findFirst()
                .flatMap(r -> instant(r.finishedAt().orElse(r.startedAt())));
        out.put(sync, new SyncHistory(instant(runs.get(0).startedAt()), succeeded));
      } catch (RowstreamException e) {
        // unreadable: read again when asked, and reported then
      }
    }
    return out;
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static StoredRun stored(String sync, RunView run) {
    JsonNode summary = null;
    if (run.summaryJson().isPresent()) {
      try {
        summary = JSON.readTree(run.summaryJson().get());
      } catch (IOException e) {
        summary = null;
      }
    }
    if (summary == null || !summary.isObject()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("sync", sync);
      o.put("run_id", run.runId());
      o.put("status", run.status().label());
      o.put("started_at", run.startedAt());
      if (run.finishedAt().isPresent()) {
        o.put("finished_at", run.finishedAt().get());
      } else {
        o.putNull("finished_at");
      }
      RunCounts counts = run.counts();
      o.put("rows_queried", counts.rows());
      for (EventType type : EventType.values()) {
        RunCounts.Events e = counts.events(type);
        ObjectNode n = o.putObject(type.label());
        n.put("planned", e.planned());
        n.put("sent", e.sent());
        n.put("rejected", e.rejected());
      }
      o.put("skipped", counts.skipped());
      o.put("invalid", counts.invalid());
      ObjectNode reasons = o.putObject("rejections");
      counts.rejections().forEach(reasons::put);
      if (run.error().isPresent()) {
        o.put("error", run.error().get());
      } else {
        o.putNull("error");
      }
      if (run.running()) {
        o.put("phase", run.phase());
      }
      summary = o;
    }
    return new StoredRun(sync, run.runId(), run.startedAt(), run.status().label(), summary);
  }

  @Override
  public <T> T read(String sync, Function<HistoryReader, T> reader) {
    try (HistoryReader history = opener.apply(config.get(), sync)) {
      return reader.apply(history);
    }
  }

  @Override
  public Optional<StoredRun> latest(String sync) {
    return Optional.ofNullable(latest.get(sync));
  }

  @Override
  public List<StoredRun> runs(String sync, int limit, Optional<String> before) {
    return read(sync, h -> h.runs(limit, before).stream().map(r -> stored(sync, r)).toList());
  }

  @Override
  public Optional<StoredRun> run(String runId) {
    Optional<String> indexed = index.syncOf(runId).filter(config.get().syncs()::containsKey);
    if (indexed.isPresent()) {
      Optional<StoredRun> found = runOf(indexed.get(), runId);
      if (found.isPresent()) {
        return found;
      }
    }
    // not indexed: a run another process (rowstream run) recorded since the sync was indexed
    for (String sync : config.get().syncs().keySet()) {
      if (indexed.filter(sync::equals).isPresent()) {
        continue;
      }
      Optional<StoredRun> found = runOf(sync, runId);
      if (found.isPresent()) {
        index.add(sync, runId);
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<StoredRun> runOf(String sync, String runId) {
    return read(sync, h -> h.run(runId).map(r -> stored(sync, r)));
  }

  @Override
  public List<RejectedRow> rejections(String sync, String runId, int limit) {
    return read(sync, h -> h.rejections(runId, limit));
  }

  @Override
  public List<StoredCall> calls(String sync, String runId, int limit) {
    return read(sync, h -> h.calls(runId, 0, limit));
  }

  @Override
  public List<KeyInRun> key(String sync, String key, int runs) {
    return read(
        sync,
        h -> {
          List<KeyInRun> out = new ArrayList<>();
          for (io.rowstream.history.KeyInRun k : h.keyHistory(key, runs)) {
            Optional<RunView> run = h.run(k.runId());
            StoredRun stored =
                run.map(r -> stored(sync, r))
                    .orElse(
                        new StoredRun(
                            sync, k.runId(), k.startedAt(), "unknown", JSON.createObjectNode()));
            out.add(new KeyInRun(stored, k.rejections(), k.calls()));
          }
          return out;
        });
  }
}
