package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.CallEntry;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RecordData;
import io.rowstream.history.RejectedRow;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two close-ups of the debugger, each read by index from the stored history: one row of a run
 * ({@code ?key=PK}: its record, shard, sequence number and every attempt) and one call's request
 * ({@code ?call=SEQ}: each record it carried, with the answer and the record data kept).
 */
final class RunDetail {
  /** Longest key searched for; longer text is no key of any model. */
  static final int MAX_KEY = 1024;

  private RunDetail() {}

  static Map<String, Object> keySearch(HistoryReader history, String runId, String key) {
    List<Map<String, Object>> attempts = new ArrayList<>();
    List<Map<String, Object>> rejections = new ArrayList<>();
    Optional<KeyInCall> delivered = Optional.empty();
    Optional<KeyInCall> last = Optional.empty();
    if (key.length() <= MAX_KEY) {
      for (KeyInCall c : history.callsCarrying(runId, key)) {
        ApiCall call = c.call().call();
        Optional<EntryResult> r = c.result();
        boolean ok = r.map(EntryResult::ok).orElse(false);
        if (ok && delivered.isEmpty()) {
          delivered = Optional.of(c);
        }
        last = Optional.of(c);
        attempts.add(
            Pages.scope(
                "callSeq",
                c.call().seq(),
                "attempt",
                call.attempt(),
                "startedAt",
                call.startedAt().toString(),
                "requestId",
                call.requestId().orElse(""),
                "httpStatus",
                call.httpStatus(),
                "index",
                c.index(),
                "shard",
                r.map(EntryResult::shardId).orElse(""),
                "sequenceNumber",
                r.map(EntryResult::sequenceNumber).orElse(""),
                "errorCode",
                r.map(EntryResult::errorCode).orElse(call.error().isPresent() ? "call failed" : ""),
                "errorMessage",
                r.map(EntryResult::errorMessage).orElse(call.error().orElse("")),
                "ok",
                ok));
      }
      history.rejections(runId, key).forEach(rr -> rejections.add(rejection(rr)));
    }
    Optional<KeyInCall> shown = delivered.isPresent() ? delivered : last;
    Optional<EntryResult> stored = delivered.flatMap(KeyInCall::result);
    return Pages.scope(
        "attempts",
        attempts,
        "rejections",
        rejections,
        "found",
        !attempts.isEmpty() || !rejections.isEmpty(),
        "event",
        shown
            .map(KeyInCall::event)
            .orElse(rejections.isEmpty() ? null : (String) rejections.get(0).get("event")),
        "shard",
        stored.map(EntryResult::shardId).orElse(null),
        "sequenceNumber",
        stored.map(EntryResult::sequenceNumber).orElse(null),
        "record",
        shown.flatMap(KeyInCall::record).map(r -> record(r, true)).orElse(null));
  }

  static Map<String, Object> callEntries(HistoryReader history, String runId, long seq) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (CallEntry e : history.entries(runId, seq)) {
      Optional<EntryResult> r = e.result();
      entries.add(
          Pages.scope(
              "index",
              e.index(),
              "key",
              e.key(),
              "keyParam",
              URLEncoder.encode(e.key(), StandardCharsets.UTF_8),
              "event",
              e.event() == null ? "" : e.event(),
              "ok",
              r.map(EntryResult::ok).orElse(false),
              "shard",
              r.filter(EntryResult::ok).map(EntryResult::shardId).orElse(""),
              "sequenceNumber",
              r.filter(EntryResult::ok).map(EntryResult::sequenceNumber).orElse(""),
              "error",
              r.filter(x -> !x.ok())
                  .map(x -> x.errorCode() + ": " + x.errorMessage())
                  .orElse(r.isEmpty() ? "the call failed as a whole" : ""),
              "record",
              e.record().map(d -> record(d, false)).orElse(null)));
    }
    return Pages.scope("seq", seq, "entries", entries, "empty", entries.isEmpty());
  }

  /** A record as the page shows it; JSON data is pretty-printed when it was kept whole. */
  private static Map<String, Object> record(RecordData r, boolean pretty) {
    String data = r.data();
    if (pretty && !r.truncated()) {
      try {
        JsonNode tree = RunJson.JSON.readTree(data);
        if (tree != null && tree.isContainerNode()) {
          data = RunJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        }
      } catch (IOException e) {
        // not JSON (or not whole): shown as it was sent
      }
    }
    return Pages.scope(
        "partitionKey",
        r.partitionKey(),
        "explicitHashKey",
        r.explicitHashKey().orElse(""),
        "data",
        data,
        "bytes",
        r.bytes(),
        "truncated",
        r.truncated());
  }

  static Map<String, Object> rejection(RejectedRow r) {
    return Pages.scope(
        "key",
        r.key() == null ? "(null)" : r.key(),
        "event",
        r.event() == null ? "" : r.event(),
        "reason",
        r.reason(),
        "message",
        r.message(),
        "keyParam",
        r.key() == null ? "" : URLEncoder.encode(r.key(), StandardCharsets.UTF_8));
  }
}
