package io.rowstream.bench;

import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.history.CallRecorder;
import io.rowstream.store.sqlite.SqliteHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Storing the PutRecords calls of a backfill (CALLS calls of 500 records, from 4 sender threads) in
 * the sync's run history, then looking one key up. Usage: CallLogBenchmark [CALLS [DATA_BYTES]]:
 * with DATA_BYTES, each call also carries its records (data of that size, as the producer passes
 * them), which the history keeps for the debugger (up to its default bound per record).
 */
public final class CallLogBenchmark {
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int dataBytes = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Path dir = Files.createTempDirectory("rowstream-calls-bench");
    try (SqliteHistory state = SqliteHistory.open(dir, "bench")) {
      CallRecorder log = state.recorder("run", List.of());
      ExecutorService senders = Executors.newFixedThreadPool(4);
      Instant t0 = Instant.now();
      long start = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        int call = c;
        senders.execute(
            () -> {
              List<String> keys = new ArrayList<>(500);
              List<EntryResult> entries = new ArrayList<>(500);
              List<ApiCall.Sent> sent = new ArrayList<>(dataBytes > 0 ? 500 : 0);
              for (int i = 0; i < 500; i++) {
                long key = (long) call * 500 + i;
                keys.add(Long.toString(key));
                if (dataBytes > 0) {
                  sent.add(new ApiCall.Sent("added", record(key, dataBytes)));
                }
                entries.add(
                    EntryResult.stored(
                        "shardId-00000000000" + (i % 4),
                        "49656712345678901234567890123456789012345678" + key));
              }
              log.record(
                  new ApiCall(
                      "PutRecords",
                      t0.plusMillis(call),
                      Duration.ofMillis(40),
                      1,
                      200,
                      Optional.of("request-" + call),
                      500,
                      500 * 220L,
                      keys,
                      entries,
                      Optional.empty(),
                      sent));
            });
      }
      senders.shutdown();
      senders.awaitTermination(10, TimeUnit.MINUTES);
      log.flush();
      double storeSeconds = (System.nanoTime() - start) / 1e9;
      long lookupStart = System.nanoTime();
      int found = state.callsCarrying("run", Long.toString(calls * 250L)).size();
      double lookupMs = (System.nanoTime() - lookupStart) / 1e6;
      long listStart = System.nanoTime();
      int listed = state.calls("run").size();
      double listMs = (System.nanoTime() - listStart) / 1e6;
      System.out.printf(
          "%d calls x 500 keys%s stored in %.2f s (%.0f calls/s); key lookup %.0f ms (found %d); "
              + "listing %d calls %.0f ms; state file %d MiB%n",
          calls,
          dataBytes > 0 ? " (and " + dataBytes + " B of data each)" : "",
          storeSeconds,
          calls / storeSeconds,
          lookupMs,
          found,
          listed,
          listMs,
          Files.size(SqliteHistory.file(dir, "bench")) >> 20);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A JSON record of about {@code size} bytes, as a template would render it. */
  private static OutboundRecord record(long key, int size) {
    StringBuilder json = new StringBuilder("{\"id\":").append(key).append(",\"name\":\"customer ");
    while (json.length() < size - 2) {
      json.append((char) ('a' + json.length() % 26));
    }
    json.append("\"}");
    return new OutboundRecord(
        json.toString().getBytes(StandardCharsets.UTF_8), Long.toString(key), Optional.empty());
  }
}
