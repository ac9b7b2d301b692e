package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunView;
import io.rowstream.history.StoredCall;
import io.rowstream.store.StateBackends;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "debug", description = "The API calls of a run, or what happened to one row in it.")
final class DebugCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "RUN",
      description = "a run id, as `rowstream run` and `rowstream runs` print it")
  String runId;

  @Option(
      names = "--key",
      paramLabel = "PK",
      description = "show what happened to the row with this primary key")
  String key;

  @Option(
      names = "--sync",
      paramLabel = "SYNC",
      description = "the sync of the run (default: look in every sync)")
  String sync;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws IOException {
    RowstreamConfig c = config.load();
    List<String> syncs =
        sync != null ? List.of(c.sync(sync).name()) : List.copyOf(c.syncs().keySet());
    for (String name : syncs) {
      // read-only: creates nothing, and reads while a run of the sync writes
      try (HistoryReader history = StateBackends.forConfig(c).readHistory(name)) {
        Optional<RunView> run = history.run(runId);
        if (run.isPresent()) {
          show(name, run.get(), history);
          return Main.EXIT_OK;
        }
      }
    }
    throw RowstreamException.user(
        ErrorCode.NOT_FOUND,
        "no run '"
            + runId
            + "' in the state of "
            + (syncs.size() == 1 ? "sync " : "syncs ")
            + String.join(", ", syncs)
            + "; list runs with `rowstream runs SYNC` (runs older than the retention, "
            + "default 7d, are deleted)");
  }

  private void show(String syncName, RunView run, HistoryReader state) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode summary = RunViews.json(syncName, run);
    if (key != null) {
      List<KeyInCall> carried = state.callsCarrying(runId, key);
      List<RejectedRow> rejections = state.rejections(runId, key);
      if (json) {
        out.println(keyJson(syncName, run, summary, carried, rejections));
      } else {
        out.println(summaryLine(syncName, run, summary));
        printKey(out, carried, rejections);
      }
      return;
    }
    List<StoredCall> calls = state.calls(runId);
    if (json) {
      ObjectNode o = runJson(syncName, run, summary);
      ArrayNode list = o.putArray("calls");
      calls.forEach(call -> list.add(callJson(call)));
      out.println(o);
      return;
    }
    out.println(summaryLine(syncName, run, summary));
    out.println(calls.size() + " API call(s):");
    if (calls.isEmpty()) {
      return;
    }
    out.printf(
        "  %5s  %-24s %-11s %7s %6s  %-38s %7s %10s %9s  %s%n",
        "CALL",
        "STARTED",
        "OPERATION",
        "ATTEMPT",
        "STATUS",
        "REQUEST ID",
        "RECORDS",
        "BYTES",
        "DURATION",
        "FAILED");
    for (StoredCall stored : calls) {
      ApiCall call = stored.call();
      out.printf(
          "  %5d  %-24s %-11s %7d %6s  %-38s %7d %10d %6d ms  %s%n",
          stored.seq(),
          call.startedAt(),
          call.operation(),
          call.attempt(),
          call.httpStatus() == 0 ? "-" : Integer.toString(call.httpStatus()),
          call.requestId().orElse("-"),
          call.records(),
          call.bytes(),
          call.duration().toMillis(),
          failures(stored));
    }
  }

  private static String failures(StoredCall stored) {
    if (stored.call().error().isPresent()) {
      return "whole call: " + stored.call().error().get();
    }
    if (stored.failedByCode().isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    stored.failedByCode().forEach((code, n) -> parts.add(code + " x" + n));
    return String.join(", ", parts);
  }

  private void printKey(PrintWriter out, List<KeyInCall> carried, List<RejectedRow> rejections) {
    Optional<EntryResult> stored =
        carried.stream()
            .map(KeyInCall::result)
            .flatMap(Optional::stream)
            .filter(EntryResult::ok)
            .findFirst();
    if (stored.isPresent()) {
      KeyInCall by =
          carried.stream()
              .filter(k -> k.result().filter(EntryResult::ok).isPresent())
              .findFirst()
              .orElseThrow();
      out.println(
          "key "
              + key
              + ": stored in "
              + stored.get().shardId()
              + ", sequence number "
              + stored.get().sequenceNumber()
              + ", by call "
              + by.call().seq()
              + " ("
              + by.call().call().operation()
              + " attempt "
              + by.call().call().attempt()
              + by.call().call().requestId().map(id -> ", request " + id).orElse("")
              + ")");
    } else if (!rejections.isEmpty()) {
      for (RejectedRow r : rejections) {
        out.println(
            "key "
                + key
                + ": rejected"
                + (r.event() == null ? "" : " (" + r.event() + ")")
                + ": "
                + r.reason()
                + ": "
                + r.message());
      }
    } else if (!carried.isEmpty()) {
      out.println(
          "key "
              + key
              + ": sent, but no answer was recorded for it (the run ended first); it is sent again in "
              + "the next run");
    } else {
      out.println(
          "key "
              + key
              + ": not part of this run: no call carried it and it was not rejected (its row had not "
              + "changed since it was last delivered, or its event is not in the sync's on:)");
      return;
    }
    for (KeyInCall k : carried) {
      ApiCall call = k.call().call();
      String outcome =
          k.result()
              .map(
                  r ->
                      r.ok()
                          ? "stored in " + r.shardId() + ", sequence number " + r.sequenceNumber()
                          : r.errorCode() + ": " + r.errorMessage())
              .orElse("whole call failed: " + call.error().orElse("no answer"));
      out.println(
          "  call "
              + k.call().seq()
              + " at "
              + call.startedAt()
              + ", "
              + call.operation()
              + " attempt "
              + call.attempt()
              + ", record "
              + (k.index() + 1)
              + " of "
              + call.records()
              + call.requestId().map(id -> ", request " + id).orElse("")
              + ": "
              + outcome);
    }
  }

  private static String summaryLine(String syncName, RunView run, JsonNode summary) {
    List<String> rejected = new ArrayList<>();
    run.counts()
        .rejections()
        .forEach(
            (reason, n) -> {
              if (n > 0) {
                rejected.add(reason + ": " + n);
              }
            });
    String error = run.error().map(e -> "; error: " + e).orElse("");
    return "run "
        + run.runId()
        + " of sync "
        + syncName
        + ": "
        + run.status().label()
        + (run.running() ? " (" + run.phase() + ")" : "")
        + ", started "
        + run.startedAt()
        + run.finishedAt().map(f -> ", finished " + f).orElse("")
        + ", "
        + run.counts().rows()
        + " rows queried, "
        + run.counts().sent()
        + " sent, "
        + (rejected.isEmpty() ? "none rejected" : "rejected " + String.join(", ", rejected))
        + error;
  }

  private ObjectNode runJson(String syncName, RunView run, JsonNode summary) {
    ObjectNode o = JSON.createObjectNode();
    o.put("sync", syncName);
    o.put("run_id", run.runId());
    o.put("status", run.status().label());
    o.set("summary", summary);
    return o;
  }

  private static ObjectNode callJson(StoredCall stored) {
    ApiCall call = stored.call();
    ObjectNode c = JSON.createObjectNode();
    c.put("call", stored.seq());
    c.put("operation", call.operation());
    c.put("started_at", call.startedAt().toString());
    c.put("duration_ms", call.duration().toNanos() / 1_000_000.0);
    c.put("attempt", call.attempt());
    c.put("http_status", call.httpStatus());
    c.put("request_id", call.requestId().orElse(null));
    c.put("records", call.records());
    c.put("bytes", call.bytes());
    ObjectNode failed = c.putObject("failed");
    for (Map.Entry<String, Integer> e : stored.failedByCode().entrySet()) {
      failed.put(e.getKey(), e.getValue());
    }
    c.put("error", call.error().orElse(null));
    return c;
  }

  private ObjectNode keyJson(
      String syncName,
      RunView run,
      JsonNode summary,
      List<KeyInCall> carried,
      List<RejectedRow> rejections) {
    ObjectNode o = runJson(syncName, run, summary);
    o.put("key", key);
    Optional<EntryResult> stored =
        carried.stream()
            .map(KeyInCall::result)
            .flatMap(Optional::stream)
            .filter(EntryResult::ok)
            .findFirst();
    if (stored.isPresent()) {
      o.put("outcome", "stored")
          .put("shard_id", stored.get().shardId())
          .put("sequence_number", stored.get().sequenceNumber());
    } else if (!rejections.isEmpty()) {
      o.put("outcome", "rejected")
          .put("reason", rejections.get(0).reason())
          .put("message", rejections.get(0).message());
    } else {
      o.put("outcome", carried.isEmpty() ? "not_in_run" : "unknown");
    }
    ArrayNode list = o.putArray("calls");
    for (KeyInCall k : carried) {
      ObjectNode c = callJson(k.call());
      c.put("index", k.index());
      k.result()
          .ifPresent(
              r -> {
                if (r.ok()) {
                  c.put("shard_id", r.shardId()).put("sequence_number", r.sequenceNumber());
                } else {
                  c.put("error_code", r.errorCode()).put("error_message", r.errorMessage());
                }
              });
      list.add(c);
    }
    return o;
  }
}
