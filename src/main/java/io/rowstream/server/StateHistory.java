package io.rowstream.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.schedule.Scheduler;
import io.rowstream.schedule.SyncHistory;
import io.rowstream.server.api.RunHistory;
import io.rowstream.state.KeyInCall;
import io.rowstream.state.RejectedRow;
import io.rowstream.state.RunRecord;
import io.rowstream.state.StateStore;
import io.rowstream.state.StoredCall;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stored run history over today's {@link StateStore}: a sync's state is opened only while the
 * sync is idle (the scheduler keeps a run from starting meanwhile), so a read never waits for a
 * run; while the sync runs, it answers {@link RunHistory.Busy}. The newest run of each sync is
 * read once at start (which also recovers a run killed before it ended).
 */
final class StateHistory implements RunHistory {
  /** How far back {@code before} can page in one sync's stored runs. */
  static final int MAX_PAGING_DEPTH = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RowstreamConfig> config;
  private final Scheduler scheduler;
  private final Map<String, StoredRun> latest = new ConcurrentHashMap<>();

  StateHistory(Supplier<RowstreamConfig> config, Scheduler scheduler) {
    this.config = config;
    this.scheduler = scheduler;
  }

  /**
   * Opens the state of each of {@code syncs} not seen before (recovering a run killed before it
   * ended), remembers its newest run and returns what the scheduler needs of each.
   */
  Map<String, SyncHistory> load(RowstreamConfig c, Iterable<String> syncs) {
    Map<String, SyncHistory> out = new ConcurrentHashMap<>();
    for (String sync : syncs) {
      if (!StateStore.exists(c.stateDir(), sync)) {
        continue;
      }
      try (StateStore state = StateStore.open(c.stateDir(), sync)) {
        List<RunRecord> runs = state.runs(50);
        if (runs.isEmpty()) {
          continue;
        }
        latest.put(sync, stored(sync, runs.get(0)));
        Optional<Instant> succeeded = runs.stream().filter(r -> r.status().equals("succeeded"))
            .findFirst().flatMap(r -> instant(r.finishedAt().orElse(r.startedAt())));
        out.put(sync, new SyncHistory(instant(runs.get(0).startedAt()), succeeded));
      } catch (RowstreamException e) {
        // in use by another rowstream process: its history is read when asked
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

  private static StoredRun stored(String sync, RunRecord record) {
    JsonNode summary;
    try {
      summary = JSON.readTree(record.summaryJson().orElse("{}"));
    } catch (IOException e) {
      summary = JSON.createObjectNode();
    }
    return new StoredRun(sync, record.runId(), record.startedAt(), record.status(), summary);
  }

  private <T> T read(String sync, T none, Function<StateStore, T> reader) {
    RowstreamConfig c = config.get();
    if (!StateStore.exists(c.stateDir(), sync)) {
      return none;
    }
    try {
      return scheduler.whileIdle(sync, () -> {
        try (StateStore state = StateStore.open(c.stateDir(), sync)) {
          return reader.apply(state);
        }
      }).orElseThrow(() -> new Busy("sync " + sync + " is running now; its stored runs can be read when the run "
          + "ends (GET /api/v1/runs/{run_id} shows the running one live)"));
    } catch (RowstreamException e) {
      throw new Busy(e.getMessage());
    }
  }

  @Override
  public Optional<StoredRun> latest(String sync) {
    return Optional.ofNullable(latest.get(sync));
  }

  @Override
  public List<StoredRun> runs(String sync, int limit, Optional<String> before) {
    return read(sync, List.of(), state -> {
      List<RunRecord> runs = state.runs(before.isEmpty() ? limit : MAX_PAGING_DEPTH);
      List<StoredRun> out = new ArrayList<>();
      boolean past = before.isEmpty();
      for (RunRecord run : runs) {
        if (past && out.size() < limit) {
          out.add(stored(sync, run));
        }
        past |= before.isPresent() && run.runId().equals(before.get());
      }
      return out;
    });
  }

  @Override
  public Optional<StoredRun> run(String runId) {
    List<String> busy = new ArrayList<>();
    for (String sync : config.get().syncs().keySet()) {
      try {
        Optional<StoredRun> found = read(sync, Optional.empty(), state -> state.run(runId).map(r -> stored(sync, r)));
        if (found.isPresent()) {
          return found;
        }
      } catch (Busy e) {
        busy.add(sync);
      }
    }
    if (!busy.isEmpty()) {
      throw new Busy("run " + runId + " is not in the history of the idle syncs, and " + String.join(", ", busy)
          + (busy.size() == 1 ? " is" : " are") + " running now; try again when the run ends");
    }
    return Optional.empty();
  }

  @Override
  public List<RejectedRow> rejections(String sync, String runId, int limit) {
    return read(sync, List.of(), state -> state.rejections(runId, limit));
  }

  @Override
  public List<StoredCall> calls(String sync, String runId, int limit) {
    return read(sync, List.<StoredCall>of(), state -> state.calls(runId)).stream().limit(limit).toList();
  }

  @Override
  public List<KeyInRun> key(String sync, String key, int runs) {
    return read(sync, List.of(), state -> {
      List<KeyInRun> out = new ArrayList<>();
      for (RunRecord run : state.runs(runs)) {
        List<RejectedRow> rejected = state.rejections(run.runId(), key);
        List<KeyInCall> calls = state.callsCarrying(run.runId(), key);
        if (!rejected.isEmpty() || !calls.isEmpty()) {
          out.add(new KeyInRun(stored(sync, run), rejected, calls));
        }
      }
      return out;
    });
  }
}
