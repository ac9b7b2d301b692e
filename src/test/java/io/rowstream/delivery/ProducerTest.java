package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.RowstreamException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProducerTest {
  private static final ProducerSettings FAST = ProducerSettings.defaults()
      .withRetries(4, Duration.ofMillis(1), Duration.ofMillis(5));

  /** A hand-written destination: each call's outcome per record comes from a function of its data. */
  private static final class FakeDestination implements Destination {
    final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
    final Function<String, EntryResult> perRecord;
    final AtomicInteger failWholeRequests;
    final RowstreamException.Kind failKind;

    FakeDestination(Function<String, EntryResult> perRecord, int failWholeRequests, RowstreamException.Kind kind) {
      this.perRecord = perRecord;
      this.failWholeRequests = new AtomicInteger(failWholeRequests);
      this.failKind = kind;
    }

    FakeDestination(Function<String, EntryResult> perRecord) {
      this(perRecord, 0, null);
    }

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      List<String> data = records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
      requests.add(data);
      if (failWholeRequests.getAndDecrement() > 0) {
        throw new RowstreamException(failKind, "request failed");
      }
      return new PutResult(data.stream().map(perRecord).toList(), 200, Optional.empty());
    }

    @Override
    public void close() {}
  }

  private static final class Outcomes implements Producer.Listener<String> {
    final List<String> acked = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> rejected = new ConcurrentHashMap<>();

    @Override
    public void acknowledged(List<String> tags, List<EntryResult> results) {
      acked.addAll(tags);
    }

    @Override
    public void rejected(String tag, String errorCode, String message) {
      rejected.put(tag, errorCode);
    }
  }

  private static OutboundRecord record(String data) {
    return new OutboundRecord(data.getBytes(StandardCharsets.UTF_8), data, Optional.empty());
  }

  private static void submitAll(Producer<String> producer, int n) {
    for (int i = 0; i < n; i++) {
      producer.submit(record("r" + i), "r" + i);
    }
    producer.finish();
  }

  @Test
  void batchesHoldAtMost500Records() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 1201);
    }
    assertThat(destination.requests).extracting(List::size).containsExactlyInAnyOrder(500, 500, 201);
    assertThat(outcomes.acked).hasSize(1201).doesNotHaveDuplicates();
  }

  @Test
  void batchesStayUnderFiveMebibytesIncludingPartitionKeys() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    String big = "x".repeat(1024 * 1024 - 10);
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      for (int i = 0; i < 6; i++) {
        producer.submit(new OutboundRecord(big.getBytes(StandardCharsets.UTF_8), "key-" + i, Optional.empty()), "r" + i);
      }
      producer.finish();
    }
    assertThat(destination.requests).extracting(List::size).containsExactlyInAnyOrder(5, 1);
  }

  @Test
  void onlyFailedEntriesAreSentAgainUntilTheyAreStored() {
    AtomicInteger calls = new AtomicInteger();
    FakeDestination destination = new FakeDestination(d ->
        d.equals("r3") && calls.incrementAndGet() < 3
            ? EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded")
            : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 10);
    }
    assertThat(destination.requests).containsExactly(
        List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"), List.of("r3"), List.of("r3"));
    assertThat(outcomes.acked).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
    assertThat(outcomes.rejected).isEmpty();
  }

  @Test
  void entriesStillFailingAfterTheAttemptBudgetAreRejectedWithTheirErrorCode() {
    FakeDestination destination = new FakeDestination(d -> d.equals("r1")
        ? EntryResult.failed("InternalFailure", "Internal service failure.")
        : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 3);
    }
    assertThat(destination.requests).hasSize(FAST.maxAttempts());
    assertThat(outcomes.acked).containsExactlyInAnyOrder("r0", "r2");
    assertThat(outcomes.rejected).containsExactly(Map.entry("r1", "InternalFailure"));
  }

  @Test
  void entriesFailingWithANonRetryableCodeAreRejectedWithoutAnotherAttempt() {
    FakeDestination destination = new FakeDestination(d -> d.equals("r0")
        ? EntryResult.failed("InvalidArgumentException", "Record size exceeds 1 MB")
        : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 2);
    }
    assertThat(destination.requests).hasSize(1);
    assertThat(outcomes.rejected).containsExactly(Map.entry("r0", "InvalidArgumentException"));
    assertThat(outcomes.acked).containsExactly("r1");
  }

  @Test
  void retryableRequestFailuresAreRetriedWholeThenSucceed() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"), 2,
        RowstreamException.Kind.RETRYABLE);
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 5);
    }
    assertThat(destination.requests).hasSize(3);
    assertThat(outcomes.acked).hasSize(5);
  }

  @Test
  void retryableFailuresBeyondTheBudgetBecomeFatalAndNothingIsAcknowledged() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"), 100,
        RowstreamException.Kind.RETRYABLE);
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 5))
          .isInstanceOf(RowstreamException.class)
          .hasMessage("request failed (gave up after 4 attempts)");
    }
    assertThat(destination.requests).hasSize(4);
    assertThat(outcomes.acked).isEmpty();
  }

  @Test
  void fatalFailureStopsAtOnce() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"), 1,
        RowstreamException.Kind.FATAL);
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST.withMaxInFlight(1), outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 2000)).hasMessage("request failed");
    }
    assertThat(destination.requests).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aResponseWithTheWrongNumberOfEntriesIsFatal() {
    Destination destination = new Destination() {
      @Override
      public PutResult putRecords(String stream, List<OutboundRecord> records) {
        return new PutResult(List.of(EntryResult.stored("shardId-0", "1")), 200, Optional.empty());
      }

      @Override
      public void close() {}
    };
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer = new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 3)).hasMessageContaining("holds 1 entries for 3 records");
    }
    assertThat(outcomes.acked).isEmpty();
  }
}
