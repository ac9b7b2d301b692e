package io.rowstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreCallsTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;

  static ApiCall putRecords(Instant at, int attempt, List<String> keys, List<EntryResult> entries) {
    return new ApiCall("PutRecords", at, Duration.ofMillis(12), attempt, 200, Optional.of("req-" + keys.get(0)),
        keys.size(), keys.size() * 100L, keys, entries, Optional.empty());
  }

  @Test
  void callsFromManySenderThreadsAreAllStoredAndEachKeyLeadsToItsCallAndEntry() throws Exception {
    try (StateStore state = StateStore.open(dir, "customers")) {
      StateStore.Calls calls = state.calls("run-1", List.of());
      ExecutorService senders = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 200; c++) {
        int call = c;
        senders.execute(() -> {
          List<String> keys = new ArrayList<>();
          List<EntryResult> entries = new ArrayList<>();
          for (int i = 0; i < 500; i++) {
            keys.add(Integer.toString(call * 500 + i));
            entries.add(i == 7 ? EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded")
                : EntryResult.stored("shardId-00000000000" + (i % 2), "4965" + (call * 500 + i)));
          }
          calls.record(putRecords(T0.plusMillis(call), 1, keys, entries));
        });
      }
      senders.shutdown();
      assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      calls.flush();

      List<StoredCall> stored = state.calls("run-1");
      assertThat(stored).hasSize(200);
      assertThat(stored.get(0).call().startedAt()).isEqualTo(T0);
      assertThat(stored).allSatisfy(c -> assertThat(c.failedByCode())
          .isEqualTo(Map.of("ProvisionedThroughputExceededException", 1)));

      List<KeyInCall> found = state.callsCarrying("run-1", "12346");
      assertThat(found).singleElement().satisfies(k -> {
        assertThat(k.call().call().requestId()).contains("req-12000");
        assertThat(k.index()).isEqualTo(346);
        assertThat(k.result()).contains(EntryResult.stored("shardId-000000000000", "496512346"));
      });
      assertThat(state.callsCarrying("run-1", "12007").get(0).result().orElseThrow().errorCode())
          .isEqualTo("ProvisionedThroughputExceededException");
      assertThat(state.callsCarrying("run-1", "123")).hasSize(1);
      assertThat(state.callsCarrying("run-2", "123")).isEmpty();
      assertThat(state.callsCarrying("run-1", "no such key")).isEmpty();
    }
  }

  @Test
  void aRecordRetriedInLaterCallsIsFoundInEachWithItsAttempt() {
    try (StateStore state = StateStore.open(dir, "customers")) {
      StateStore.Calls calls = state.calls("run-1", List.of());
      calls.record(putRecords(T0, 1, List.of("a", "b"), List.of(EntryResult.stored("shardId-0", "1"),
          EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded"))));
      calls.record(new ApiCall("PutRecords", T0.plusMillis(100), Duration.ofMillis(30_000), 2, 0, Optional.empty(), 1,
          10, List.of("b"), List.of(), Optional.of("PutRecords timed out")));
      calls.record(putRecords(T0.plusMillis(300), 3, List.of("b"), List.of(EntryResult.stored("shardId-1", "7"))));
      calls.flush();

      assertThat(state.callsCarrying("run-1", "b")).extracting(k -> k.call().call().attempt(), KeyInCall::result)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, Optional.of(EntryResult.failed("ProvisionedThroughputExceededException",
                  "Rate exceeded"))),
              org.assertj.core.groups.Tuple.tuple(2, Optional.empty()),
              org.assertj.core.groups.Tuple.tuple(3, Optional.of(EntryResult.stored("shardId-1", "7"))));
      assertThat(state.calls("run-1").get(1).call().error()).contains("PutRecords timed out");
    }
  }

  @Test
  void secretsAndSignaturesNeverReachTheStoredErrors() {
    try (StateStore state = StateStore.open(dir, "customers")) {
      StateStore.Calls calls = state.calls("run-1", List.of("wJalrXUtnFEMI/K7MDENG", "ext-id-shared"));
      calls.record(new ApiCall("PutRecords", T0, Duration.ofMillis(1), 1, 0, Optional.empty(), 1, 1, List.of("k"),
          List.of(), Optional.of("refused: secret wJalrXUtnFEMI/K7MDENG, external ext-id-shared, key AKIAIOSFODNN7EXAMPLE, "
              + "X-Amz-Security-Token=FQoGZXIvYXdzEJr, Signature=abcdef0123")));
      calls.flush();

      assertThat(state.calls("run-1").get(0).call().error().orElseThrow())
          .doesNotContain("wJalrXUtnFEMI").doesNotContain("ext-id-shared").doesNotContain("FQoGZXIvYXdzEJr")
          .doesNotContain("abcdef0123").doesNotContain("AKIAIOSFODNN7")
          .contains("****MPLE").contains("X-Amz-Security-Token=****");
    }
  }

  @Test
  void runsOlderThanTheCutoffGoWithTheirCallsAndRejectionsAndNewerOnesStay() {
    try (StateStore state = StateStore.open(dir, "customers")) {
      for (String[] run : new String[][] {{"old", "2026-11-01T10:00:00Z"}, {"edge", "2026-11-13T09:59:59.999Z"},
          {"new", "2026-11-13T10:00:00Z"}, {"newer", "2026-11-20T10:00:00.5Z"}}) {
        state.runStarted(run[0], run[1]);
        state.runFinished(run[0], run[1], "succeeded", "{}");
        state.reject(run[0], List.of(new RejectedRow("k", "added", "invalid_json", "not JSON")));
        StateStore.Calls calls = state.calls(run[0], List.of());
        calls.record(putRecords(Instant.parse(run[1]), 1, List.of("k"), List.of(EntryResult.stored("s", "1"))));
        calls.flush();
      }
      state.runStarted("crashed", "2026-11-01T09:00:00Z");

      int deleted = state.deleteRunsBefore(Instant.parse("2026-11-13T10:00:00Z"));

      assertThat(deleted).isEqualTo(2);
      assertThat(state.runs(10)).extracting(RunRecord::runId).containsExactlyInAnyOrder("newer", "new", "crashed");
      assertThat(state.calls("old")).isEmpty();
      assertThat(state.calls("edge")).isEmpty();
      assertThat(state.calls("new")).hasSize(1);
      assertThat(state.rejections("old", 10)).isEmpty();
      assertThat(state.rejections("new", 10)).hasSize(1);
    }
  }
}
