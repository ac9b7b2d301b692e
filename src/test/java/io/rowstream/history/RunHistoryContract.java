package io.rowstream.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.rowstream.core.EventType;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every run history must do, written against {@link RunHistory} and {@link HistoryReader}: an
 * implementation's test extends this class and says how to open its writer and its reader.
 */
public abstract class RunHistoryContract {
  protected static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  protected static final Clock NOW = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir protected Path dir;

  /** The writer of {@code sync}'s history under {@code dir}, on {@code clock}. */
  protected abstract RunHistory openWriter(Path dir, String sync, Clock clock);

  /** A reader of {@code sync}'s history under {@code dir}, on {@code clock}. */
  protected abstract HistoryReader openReader(Path dir, String sync, Clock clock);

  static ApiCall putRecords(Instant at, int attempt, List<String> keys, List<EntryResult> entries) {
    return new ApiCall(
        "PutRecords",
        at,
        Duration.ofMillis(12),
        attempt,
        200,
        Optional.of("req-" + keys.get(0)),
        keys.size(),
        keys.size() * 100L,
        keys,
        entries,
        Optional.empty());
  }

  static RunCounts counts(long rows, long addedSent, Map<String, Long> rejections) {
    return new RunCounts(
        rows, Map.of(EventType.ADDED, new RunCounts.Events(rows, addedSent, 0)), 0, 0, rejections);
  }

  @Test
  void callsFromManySenderThreadsAreAllStoredAndEachKeyLeadsToItsCallAndEntry() throws Exception {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      CallRecorder calls = history.calls().recorder("run-1", List.of());
      ExecutorService senders = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 200; c++) {
        int call = c;
        senders.execute(
            () -> {
              List<String> keys = new ArrayList<>();
              List<EntryResult> entries = new ArrayList<>();
              for (int i = 0; i < 500; i++) {
                keys.add(Integer.toString(call * 500 + i));
                entries.add(
                    i == 7
                        ? EntryResult.failed(
                            "ProvisionedThroughputExceededException", "Rate exceeded")
                        : EntryResult.stored(
                            "shardId-00000000000" + (i % 2), "4965" + (call * 500 + i)));
              }
              calls.record(putRecords(T0.plusMillis(call), 1, keys, entries));
            });
      }
      senders.shutdown();
      assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      calls.flush();

      List<StoredCall> stored = history.calls("run-1");
      assertThat(stored).hasSize(200);
      assertThat(stored.get(0).call().startedAt()).isEqualTo(T0);
      assertThat(stored)
          .allSatisfy(
              c ->
                  assertThat(c.failedByCode())
                      .isEqualTo(Map.of("ProvisionedThroughputExceededException", 1)));

      List<KeyInCall> found = history.callsCarrying("run-1", "12346");
      assertThat(found)
          .singleElement()
          .satisfies(
              k -> {
                assertThat(k.call().call().requestId()).contains("req-12000");
                assertThat(k.index()).isEqualTo(346);
                assertThat(k.result())
                    .contains(EntryResult.stored("shardId-000000000000", "496512346"));
              });
      assertThat(history.callsCarrying("run-1", "12007").get(0).result().orElseThrow().errorCode())
          .isEqualTo("ProvisionedThroughputExceededException");
      assertThat(history.callsCarrying("run-1", "123")).hasSize(1);
      assertThat(history.callsCarrying("run-2", "123")).isEmpty();
      assertThat(history.callsCarrying("run-1", "no such key")).isEmpty();
    }
  }

  @Test
  void aRunningRunsKeysAreFoundByAReaderBeforeTheRunEnds() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      history.runStarted("running", T0.toString());
      CallRecorder calls = history.calls().recorder("running", List.of());
      // enough calls for the recorder to write batches on its own, without a flush at the end
      for (int c = 0; c < 200; c++) {
        calls.record(
            putRecords(
                T0.plusMillis(c),
                1,
                List.of("k" + c),
                List.of(EntryResult.stored("shardId-0", Integer.toString(c)))));
      }
      try (HistoryReader reader = openReader(dir, "customers", NOW)) {
        assertThat(reader.callsCarrying("running", "k3"))
            .as("a key of a run still going on")
            .singleElement()
            .satisfies(k -> assertThat(k.result()).contains(EntryResult.stored("shardId-0", "3")));
      }
      calls.flush();
      try (HistoryReader reader = openReader(dir, "customers", NOW)) {
        assertThat(reader.callsCarrying("running", "k3")).as("once indexed").hasSize(1);
      }
    }
  }

  @Test
  void aRecordRetriedInLaterCallsIsFoundInEachWithItsAttempt() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      CallRecorder calls = history.calls().recorder("run-1", List.of());
      calls.record(
          putRecords(
              T0,
              1,
              List.of("a", "b"),
              List.of(
                  EntryResult.stored("shardId-0", "1"),
                  EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded"))));
      calls.record(
          new ApiCall(
              "PutRecords",
              T0.plusMillis(100),
              Duration.ofMillis(30_000),
              2,
              0,
              Optional.empty(),
              1,
              10,
              List.of("b"),
              List.of(),
              Optional.of("PutRecords timed out")));
      calls.record(
          putRecords(
              T0.plusMillis(300), 3, List.of("b"), List.of(EntryResult.stored("shardId-1", "7"))));
      calls.flush();

      assertThat(history.callsCarrying("run-1", "b"))
          .extracting(k -> k.call().call().attempt(), KeyInCall::result)
          .containsExactly(
              tuple(
                  1,
                  Optional.of(
                      EntryResult.failed(
                          "ProvisionedThroughputExceededException", "Rate exceeded"))),
              tuple(2, Optional.empty()),
              tuple(3, Optional.of(EntryResult.stored("shardId-1", "7"))));
      assertThat(history.calls("run-1").get(1).call().error()).contains("PutRecords timed out");
    }
  }

  @Test
  void secretsAndSignaturesNeverReachTheStoredErrors() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      CallRecorder calls =
          history.calls().recorder("run-1", List.of("wJalrXUtnFEMI/K7MDENG", "ext-id-shared"));
      calls.record(
          new ApiCall(
              "PutRecords",
              T0,
              Duration.ofMillis(1),
              1,
              0,
              Optional.empty(),
              1,
              1,
              List.of("k"),
              List.of(),
              Optional.of(
                  "refused: secret wJalrXUtnFEMI/K7MDENG, external ext-id-shared, key AKIAIOSFODNN7EXAMPLE, "
                      + "X-Amz-Security-Token=FQoGZXIvYXdzEJr, Signature=abcdef0123")));
      calls.flush();

      assertThat(history.calls("run-1").get(0).call().error().orElseThrow())
          .doesNotContain("wJalrXUtnFEMI")
          .doesNotContain("ext-id-shared")
          .doesNotContain("FQoGZXIvYXdzEJr")
          .doesNotContain("abcdef0123")
          .doesNotContain("AKIAIOSFODNN7")
          .contains("****MPLE")
          .contains("X-Amz-Security-Token=****");
    }
  }

  @Test
  void runsOlderThanTheCutoffGoWithTheirCallsAndRejectionsAndNewerOnesStay() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      for (String[] run :
          new String[][] {
            {"old", "2026-11-01T10:00:00Z"},
            {"edge", "2026-11-13T09:59:59.999Z"},
            {"new", "2026-11-13T10:00:00Z"},
            {"newer", "2026-11-20T10:00:00.5Z"}
          }) {
        history.runStarted(run[0], run[1]);
        history.runFinished(
            run[0],
            new RunEnd(run[1], RunStatus.SUCCEEDED, RunCounts.NONE, Optional.empty(), "{}"));
        history.reject(run[0], List.of(new RejectedRow("k", "added", "invalid_json", "not JSON")));
        CallRecorder calls = history.calls().recorder(run[0], List.of());
        calls.record(
            putRecords(
                Instant.parse(run[1]), 1, List.of("k"), List.of(EntryResult.stored("s", "1"))));
        calls.flush();
      }
      history.runStarted("crashed", "2026-11-01T09:00:00Z");

      int deleted = history.deleteRunsBefore(Instant.parse("2026-11-13T10:00:00Z"));

      assertThat(deleted).isEqualTo(2);
      assertThat(history.runs(10))
          .extracting(RunView::runId)
          .containsExactly("newer", "new", "crashed");
      assertThat(history.calls("old")).isEmpty();
      assertThat(history.calls("edge")).isEmpty();
      assertThat(history.calls("new")).hasSize(1);
      assertThat(history.callsCarrying("old", "k")).isEmpty();
      assertThat(history.rows("edge", RowFilter.ALL, 0, 10)).isEmpty();
      assertThat(history.callsCarrying("new", "k")).hasSize(1);
      assertThat(history.rejections("old", 10)).isEmpty();
      assertThat(history.rejections("new", 10)).hasSize(1);
    }
  }

  @Test
  void aReaderOfASyncThatNeverRanReadsNothingAndCreatesNothing() throws IOException {
    Path state = Files.createDirectories(dir.resolve("state"));
    try (HistoryReader reader = openReader(state, "never", NOW)) {
      assertThat(reader.runs(10)).isEmpty();
      assertThat(reader.run("any")).isEmpty();
      assertThat(reader.calls("any")).isEmpty();
      assertThat(reader.keyHistory("k", 10)).isEmpty();
    }
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aReaderSeesARunningRunWithItsLiveCountsWhileTheWriterIsOpen() {
    try (RunHistory history = openWriter(dir, "customers", NOW);
        HistoryReader reader = openReader(dir, "customers", NOW)) {
      history.runStarted("run-1", T0.toString());
      history.progress("run-1", "sending", counts(1000, 250, Map.of("invalid_json", 2L)));
      history.reject("run-1", List.of(new RejectedRow("7", "added", "invalid_json", "not JSON")));

      RunView run = reader.run("run-1").orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(run.phase()).isEqualTo("sending");
      assertThat(run.counts().rows()).isEqualTo(1000);
      assertThat(run.counts().sent()).isEqualTo(250);
      assertThat(run.counts().rejections()).isEqualTo(Map.of("invalid_json", 2L));
      assertThat(run.reportedAt()).contains(T0);
      assertThat(reader.rejections("run-1", 10)).extracting(RejectedRow::key).containsExactly("7");

      history.progress("run-1", "sending", counts(1000, 900, Map.of("invalid_json", 2L)));
      assertThat(reader.run("run-1").orElseThrow().counts().sent())
          .as("the next report")
          .isEqualTo(900);
    }
  }

  @Test
  void aRunWhoseReportsStoppedReadsAsInterruptedAndTheNextWriterRecordsItWithItsCounts() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      history.runStarted("killed", T0.toString());
      history.progress("killed", "sending", counts(1000, 400, Map.of()));
    }
    Clock later = Clock.offset(NOW, Duration.ofMinutes(5));
    try (HistoryReader reader = openReader(dir, "customers", later)) {
      assertThat(reader.run("killed").orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
    }
    try (RunHistory history = openWriter(dir, "customers", later)) {
      assertThat(history.interruptAbandoned("interrupted; what it delivered was kept"))
          .isEqualTo(1);
      RunView run = history.run("killed").orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
      assertThat(run.counts().sent())
          .as("what it had acknowledged at its last report")
          .isEqualTo(400);
      assertThat(run.error()).contains("interrupted; what it delivered was kept");
    }
  }

  @Test
  void runsArePagedNewestFirstAfterAGivenRun() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      for (int i = 0; i < 5; i++) {
        history.runStarted("run-" + i, T0.plusSeconds(i).toString());
        history.runFinished(
            "run-" + i,
            new RunEnd(
                T0.plusSeconds(i).toString(),
                RunStatus.SUCCEEDED,
                counts(i, i, Map.of()),
                Optional.empty(),
                "{}"));
      }
      assertThat(history.runs(2)).extracting(RunView::runId).containsExactly("run-4", "run-3");
      assertThat(history.runs(2, Optional.of("run-3")))
          .extracting(RunView::runId)
          .containsExactly("run-2", "run-1");
      assertThat(history.runs(10, Optional.of("run-0"))).isEmpty();
      assertThat(history.run("run-2").orElseThrow().counts().sent()).isEqualTo(2);
      assertThat(history.run("run-2").orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aKeysHistoryListsEveryRunThatCarriedOrRejectedItNewestFirst() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      history.runStarted("first", T0.toString());
      CallRecorder calls = history.calls().recorder("first", List.of());
      calls.record(
          putRecords(
              T0,
              1,
              List.of("k", "other"),
              List.of(EntryResult.stored("s", "1"), EntryResult.stored("s", "2"))));
      calls.flush();
      history.runStarted("second", T0.plusSeconds(60).toString());
      history.reject(
          "second", List.of(new RejectedRow("k", "changed", "record_too_large", "too large")));
      history.runStarted("third", T0.plusSeconds(120).toString());

      List<KeyInRun> runs = history.keyHistory("k", 10);

      assertThat(runs).extracting(KeyInRun::runId).containsExactly("second", "first");
      assertThat(runs.get(0).rejections())
          .extracting(RejectedRow::reason)
          .containsExactly("record_too_large");
      assertThat(runs.get(1).calls())
          .singleElement()
          .satisfies(k -> assertThat(k.result()).contains(EntryResult.stored("s", "1")));
      assertThat(history.keyHistory("k", 1)).extracting(KeyInRun::runId).containsExactly("second");
    }
  }

  static ApiCall.Sent sent(String event, String partitionKey, String data) {
    return new ApiCall.Sent(
        event,
        new OutboundRecord(data.getBytes(StandardCharsets.UTF_8), partitionKey, Optional.of("42")));
  }

  @Test
  void eachRecordIsKeptWithItsKeysScrubbedOfSecretsAndCutToTheBound() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      history.runStarted("run-1", T0.toString());
      CallRecorder calls = history.calls().recorder("run-1", List.of("s3cr3t-value"), 40);
      String longData = "{\"id\": 2, \"bio\": \"" + "é".repeat(40) + "\"}";
      calls.record(
          new ApiCall(
              "PutRecords",
              T0,
              Duration.ofMillis(5),
              1,
              200,
              Optional.of("req-1"),
              3,
              300,
              List.of("1", "2", "3"),
              List.of(
                  EntryResult.stored("shardId-0", "100"),
                  EntryResult.stored("shardId-1", "101"),
                  EntryResult.failed("InternalFailure", "try again")),
              Optional.empty(),
              List.of(
                  sent("added", "pk-1", "{\"id\": 1, \"token\": \"s3cr3t-value\"}"),
                  sent("changed", "pk-2", longData),
                  sent("removed", "pk-3", "{\"id\": 3}"))));
      calls.flush();

      KeyInCall first = history.callsCarrying("run-1", "1").get(0);
      assertThat(first.event()).isEqualTo("added");
      RecordData one = first.record().orElseThrow();
      assertThat(one.partitionKey()).isEqualTo("pk-1");
      assertThat(one.explicitHashKey()).contains("42");
      assertThat(one.data()).isEqualTo("{\"id\": 1, \"token\": \"****\"}");
      assertThat(one.truncated()).isFalse();

      RecordData two = history.callsCarrying("run-1", "2").get(0).record().orElseThrow();
      assertThat(two.truncated()).isTrue();
      assertThat(two.bytes()).isEqualTo(longData.getBytes(StandardCharsets.UTF_8).length);
      assertThat(two.data().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(40);
      assertThat(longData).startsWith(two.data());

      List<CallEntry> entries = history.entries("run-1", 1);
      assertThat(entries)
          .extracting(CallEntry::key, CallEntry::event, e -> e.result().map(EntryResult::ok))
          .containsExactly(
              tuple("1", "added", Optional.of(true)),
              tuple("2", "changed", Optional.of(true)),
              tuple("3", "removed", Optional.of(false)));
      assertThat(entries.get(2).record().orElseThrow().data()).isEqualTo("{\"id\": 3}");
      assertThat(history.entries("run-1", 2)).isEmpty();
    }
  }

  @Test
  void aCallWithoutItsRecordsKeepsNoDataAndItsEntriesStillList() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      CallRecorder calls = history.calls().recorder("run-1", List.of());
      calls.record(
          putRecords(
              T0,
              1,
              List.of("a", "b"),
              List.of(EntryResult.stored("s", "1"), EntryResult.stored("s", "2"))));
      calls.flush();
      assertThat(history.callsCarrying("run-1", "b").get(0).record()).isEmpty();
      assertThat(history.entries("run-1", 1))
          .extracting(CallEntry::key, CallEntry::record)
          .containsExactly(tuple("a", Optional.empty()), tuple("b", Optional.empty()));
    }
  }

  @Test
  void aRunsRowsAreListedByKeyFilteredByEventAndOutcomeAPageAtATime() {
    try (RunHistory history = openWriter(dir, "customers", NOW)) {
      history.runStarted("run-1", T0.toString());
      CallRecorder calls = history.calls().recorder("run-1", List.of());
      calls.record(
          new ApiCall(
              "PutRecords",
              T0,
              Duration.ofMillis(5),
              1,
              200,
              Optional.of("req-1"),
              4,
              400,
              List.of("b", "d", "a", "c"),
              List.of(
                  EntryResult.stored("shardId-0", "1"),
                  EntryResult.stored("shardId-1", "2"),
                  EntryResult.stored("shardId-0", "3"),
                  EntryResult.failed("ProvisionedThroughputExceededException", "slow down")),
              Optional.empty(),
              List.of(
                  sent("added", "b", "{}"),
                  sent("changed", "d", "{}"),
                  sent("added", "a", "{}"),
                  sent("removed", "c", "{}"))));
      calls.flush();
      history.reject(
          "run-1",
          List.of(
              new RejectedRow("c", "removed", "record_too_large", "too large"),
              new RejectedRow(null, "added", "null_primary_key", "no key")));

      assertThat(history.rows("run-1", RowFilter.ALL, 0, 10))
          .extracting(RunRow::key, RunRow::event, RunRow::outcome)
          .containsExactly(
              tuple(null, "added", RowOutcome.REJECTED),
              tuple("a", "added", RowOutcome.SUCCESSFUL),
              tuple("b", "added", RowOutcome.SUCCESSFUL),
              tuple("c", "removed", RowOutcome.REJECTED),
              tuple("d", "changed", RowOutcome.SUCCESSFUL));
      RunRow a = history.rows("run-1", RowFilter.ALL, 1, 1).get(0);
      assertThat(a.key()).isEqualTo("a");
      assertThat(a.callSeq()).isEqualTo(1);
      a.stored()
          .ifPresent(stored -> assertThat(stored).isEqualTo(EntryResult.stored("shardId-0", "3")));
      assertThat(history.rows("run-1", RowFilter.ALL, 3, 10))
          .extracting(RunRow::key)
          .containsExactly("c", "d");
      assertThat(
              history.rows(
                  "run-1",
                  new RowFilter(Optional.of("added"), Optional.of(RowOutcome.SUCCESSFUL)),
                  0,
                  10))
          .extracting(RunRow::key)
          .containsExactly("a", "b");
      RunRow c =
          history
              .rows(
                  "run-1", new RowFilter(Optional.empty(), Optional.of(RowOutcome.REJECTED)), 1, 10)
              .get(0);
      assertThat(c.key()).isEqualTo("c");
      assertThat(c.rejection().orElseThrow().reason()).isEqualTo("record_too_large");
      assertThat(
              history.rows("run-1", new RowFilter(Optional.of("changed"), Optional.empty()), 0, 10))
          .extracting(RunRow::key)
          .containsExactly("d");
      assertThat(history.rows("run-2", RowFilter.ALL, 0, 10)).isEmpty();
    }
  }
}
