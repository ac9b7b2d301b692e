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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProducerTest {
  /** Short backoffs, and a pace no fake here reaches, so only the batching rules shape requests. */
  private static final ProducerSettings FAST =
      ProducerSettings.builder()
          .retries(4, Duration.ofMillis(1), Duration.ofMillis(5))
          .shardLimits(1_000_000, 1L << 40)
          .build();

  /**
   * A hand-written destination: each call's outcome per record comes from a function of its data.
   */
  private static final class FakeDestination implements Destination {
    final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
    final Function<String, EntryResult> perRecord;
    final AtomicInteger failWholeRequests;
    final RowstreamException.Kind failKind;
    final java.util.function.Supplier<RowstreamException> failure;

    FakeDestination(
        Function<String, EntryResult> perRecord,
        int failWholeRequests,
        RowstreamException.Kind kind) {
      this.perRecord = perRecord;
      this.failWholeRequests = new AtomicInteger(failWholeRequests);
      this.failKind = kind;
      this.failure = null;
    }

    FakeDestination(
        Function<String, EntryResult> perRecord,
        int failWholeRequests,
        java.util.function.Supplier<RowstreamException> failure) {
      this.perRecord = perRecord;
      this.failWholeRequests = new AtomicInteger(failWholeRequests);
      this.failKind = null;
      this.failure = failure;
    }

    FakeDestination(Function<String, EntryResult> perRecord) {
      this(perRecord, 0, (RowstreamException.Kind) null);
    }

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      List<String> data =
          records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
      requests.add(data);
      if (failWholeRequests.getAndDecrement() > 0) {
        throw failKind == null ? failure.get() : new RowstreamException(failKind, "request failed");
      }
      return new PutResult(data.stream().map(perRecord).toList(), 200, Optional.empty());
    }

    @Override
    public void close() {}
  }

  private static final class Outcomes implements Producer.Listener<String> {
    final List<String> acked = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> rejected = new ConcurrentHashMap<>();
    final Map<String, String> messages = new ConcurrentHashMap<>();

    @Override
    public void acknowledged(List<String> tags, List<EntryResult> results) {
      acked.addAll(tags);
    }

    @Override
    public void rejected(String tag, String errorCode, String message) {
      rejected.put(tag, errorCode);
      messages.put(tag, message);
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
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 1201);
    }
    assertThat(destination.requests)
        .extracting(List::size)
        .containsExactlyInAnyOrder(500, 500, 201);
    assertThat(outcomes.acked).hasSize(1201).doesNotHaveDuplicates();
  }

  @Test
  void batchesStayUnderFiveMebibytesIncludingPartitionKeys() {
    FakeDestination destination = new FakeDestination(d -> EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    String big = "x".repeat(1024 * 1024 - 10);
    // a linger no loaded machine reaches between two submits: only the size limit cuts the batch
    ProducerSettings settings =
        FAST.toBuilder()
            .batching(
                Destination.MAX_BATCH_RECORDS, Destination.MAX_BATCH_BYTES, Duration.ofMinutes(1))
            .build();
    try (Producer<String> producer =
        new Producer<>(destination, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      for (int i = 0; i < 6; i++) {
        producer.submit(
            new OutboundRecord(big.getBytes(StandardCharsets.UTF_8), "key-" + i, Optional.empty()),
            "r" + i);
      }
      producer.finish();
    }
    assertThat(destination.requests).extracting(List::size).containsExactlyInAnyOrder(5, 1);
  }

  @Test
  void onlyFailedEntriesAreSentAgainUntilTheyAreStored() {
    AtomicInteger calls = new AtomicInteger();
    FakeDestination destination =
        new FakeDestination(
            d ->
                d.equals("r3") && calls.incrementAndGet() < 3
                    ? EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded")
                    : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 10);
    }
    assertThat(destination.requests)
        .containsExactly(
            List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"),
            List.of("r3"),
            List.of("r3"));
    assertThat(outcomes.acked)
        .containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
    assertThat(outcomes.rejected).isEmpty();
  }

  @Test
  void entriesStillFailingAfterTheAttemptBudgetAreRejectedWithTheirErrorCode() {
    FakeDestination destination =
        new FakeDestination(
            d ->
                d.equals("r1")
                    ? EntryResult.failed("InternalFailure", "Internal service failure.")
                    : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 3);
    }
    assertThat(destination.requests).hasSize(FAST.maxAttempts());
    assertThat(outcomes.acked).containsExactlyInAnyOrder("r0", "r2");
    assertThat(outcomes.rejected).containsExactly(Map.entry("r1", "InternalFailure"));
  }

  @Test
  void entriesFailingWithANonRetryableCodeAreRejectedWithoutAnotherAttempt() {
    FakeDestination destination =
        new FakeDestination(
            d ->
                d.equals("r0")
                    ? EntryResult.failed("InvalidArgumentException", "Record size exceeds 1 MB")
                    : EntryResult.stored("shardId-0", "1"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 2);
    }
    assertThat(destination.requests).hasSize(1);
    assertThat(outcomes.rejected).containsExactly(Map.entry("r0", "InvalidArgumentException"));
    assertThat(outcomes.acked).containsExactly("r1");
  }

  @Test
  void retryableRequestFailuresAreRetriedWholeThenSucceed() {
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.stored("shardId-0", "1"), 2, RowstreamException.Kind.RETRYABLE);
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 5);
    }
    assertThat(destination.requests).hasSize(3);
    assertThat(outcomes.acked).hasSize(5);
  }

  @Test
  void requestsWithoutAnAnswerAreRiddenOutWithoutUsingAttemptsAndNothingIsRejected() {
    // ten lost requests, more than the 4 attempts a record has: an outage refuses nothing
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.stored("shardId-0", "1"),
            10,
            () ->
                new DestinationException(
                    RowstreamException.Kind.RETRYABLE,
                    "cannot reach the Kinesis endpoint",
                    null,
                    DestinationException.NO_RESPONSE,
                    0,
                    Optional.empty()));
    Outcomes outcomes = new Outcomes();
    Calls calls = new Calls();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, calls)) {
      submitAll(producer, 5);
    }
    assertThat(destination.requests).hasSize(11);
    assertThat(outcomes.acked).hasSize(5);
    assertThat(outcomes.rejected).isEmpty();
    assertThat(calls.of("PutRecords"))
        .as("the call record still numbers every attempt")
        .extracting(ApiCall::attempt)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  void anOutageLongerThanItsBoundStopsTheProducerNamingItAndRejectsNothing() {
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.stored("shardId-0", "1"),
            Integer.MAX_VALUE,
            () ->
                new DestinationException(
                    RowstreamException.Kind.RETRYABLE,
                    "PutRecords failed: HTTP 503",
                    null,
                    "ServiceUnavailable",
                    503,
                    Optional.empty()));
    Outcomes outcomes = new Outcomes();
    ProducerSettings settings = FAST.toBuilder().outageTimeout(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    try (Producer<String> producer =
        new Producer<>(destination, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 5))
          .isInstanceOf(RowstreamException.class)
          .hasMessageStartingWith("endpoint_unreachable: the Kinesis endpoint gave no answer for ")
          .hasMessageContaining(
              "s (outage_timeout 300ms); the run stops here, and the rows not acknowledged stay "
                  + "undelivered for the next run")
          .hasMessageEndingWith("Last error: PutRecords failed: HTTP 503");
    }
    // at least the bound; the upper limit only tells it from the default bound of 2 minutes, with
    // room for a starved CPU
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(300), Duration.ofSeconds(30));
    assertThat(destination.requests.size()).isGreaterThan(FAST.maxAttempts());
    assertThat(outcomes.acked).isEmpty();
    assertThat(outcomes.rejected).isEmpty();
  }

  /** Refuses a whole request as invalid while it holds one of the bad records, as Kinesis does. */
  private static final class RefusingDestination implements Destination {
    final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> bad;

    RefusingDestination(String... bad) {
      this.bad = List.of(bad);
    }

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      List<String> data =
          records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
      requests.add(data);
      for (String d : data) {
        if (bad.contains(d)) {
          throw new DestinationException(
              RowstreamException.Kind.FATAL,
              "PutRecords was refused: ValidationException: "
                  + "1 validation error detected: Value at 'records."
                  + (data.indexOf(d) + 1)
                  + ".member.partitionKey' "
                  + "failed to satisfy constraint",
              null,
              "ValidationException",
              400,
              Optional.of("req"));
        }
      }
      return new PutResult(
          data.stream().map(x -> EntryResult.stored("shardId-0", "1")).toList(),
          200,
          Optional.empty());
    }

    @Override
    public void close() {}
  }

  @Test
  void aRequestRefusedAsInvalidIsSplitUntilOnlyTheBadRecordIsRejectedAndTheRestLand() {
    RefusingDestination destination = new RefusingDestination("r137");
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 500);
    }
    assertThat(outcomes.acked).hasSize(499).doesNotHaveDuplicates().doesNotContain("r137");
    assertThat(outcomes.rejected).containsExactly(Map.entry("r137", "ValidationException"));
    assertThat(outcomes.messages.get("r137"))
        .startsWith(
            "Kinesis refused the record as invalid: PutRecords was "
                + "refused: ValidationException: 1 validation error detected");
    // the first request, then two halves per level down to the record alone: 1 + 2 *
    // ceil(log2(500))
    assertThat(destination.requests).hasSizeLessThanOrEqualTo(1 + 2 * 9);
    long resentGood =
        destination.requests.stream()
            .skip(1)
            .filter(r -> !r.contains("r137"))
            .mapToLong(List::size)
            .sum();
    assertThat(resentGood)
        .as("every good record is sent once more, in the half without the bad one")
        .isEqualTo(499);
  }

  @Test
  void twoBadRecordsInOneRequestAreBothFoundAndNothingElseIsRejected() {
    RefusingDestination destination = new RefusingDestination("r3", "r250");
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 300);
    }
    assertThat(outcomes.rejected).containsOnlyKeys("r3", "r250");
    assertThat(outcomes.acked).hasSize(298);
  }

  @Test
  void aStoppedProducerSendsNothingMoreAndStopsReportingAfterTheGrace() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Destination hanging =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            if (calls.incrementAndGet() > 1) {
              try {
                hold.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return new PutResult(
                records.stream().map(r -> EntryResult.stored("shardId-0", "1")).toList(),
                200,
                Optional.empty());
          }

          @Override
          public void close() {}
        };
    Outcomes outcomes = new Outcomes();
    ProducerSettings settings =
        FAST.toBuilder()
            .maxInFlight(1)
            .batching(10, Destination.MAX_BATCH_BYTES, Duration.ofMillis(1))
            .build();
    try (Producer<String> producer =
        new Producer<>(hanging, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      for (int i = 0; i < 100; i++) {
        producer.submit(record("r" + i), "r" + i);
      }
      awaitAcked(outcomes, 10);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (calls.get() < 2) {
        assertThat(System.nanoTime()).as("the second request within 30 s").isLessThan(deadline);
        Thread.sleep(1);
      }
      producer.stop();
      producer.submit(record("late"), "late");
      producer.finish();
      assertThat(producer.drain(Duration.ofMillis(200)))
          .as("the second request hangs past the grace")
          .isFalse();
      hold.countDown();
    }
    assertThat(outcomes.acked)
        .as("the first request only; the answer after the grace is not reported")
        .hasSize(10);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(outcomes.rejected).isEmpty();
  }

  @Test
  void fatalFailureStopsAtOnce() {
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.stored("shardId-0", "1"), 1, RowstreamException.Kind.FATAL);
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(
            destination,
            "s",
            FAST.toBuilder().maxInFlight(1).build(),
            outcomes,
            t -> t,
            CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 2000)).hasMessage("request failed");
    }
    assertThat(destination.requests).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aResponseWithTheWrongNumberOfEntriesIsFatal() {
    Destination destination =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            return new PutResult(
                List.of(EntryResult.stored("shardId-0", "1")), 200, Optional.empty());
          }

          @Override
          public void close() {}
        };
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 3))
          .hasMessageContaining("holds 1 entries for 3 records");
    }
    assertThat(outcomes.acked).isEmpty();
  }

  private static final class Calls implements CallLog {
    final List<ApiCall> all = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(ApiCall call) {
      all.add(call);
    }

    List<ApiCall> of(String operation) {
      synchronized (all) {
        return all.stream().filter(c -> c.operation().equals(operation)).toList();
      }
    }
  }

  private static OutboundRecord keyed(int i) {
    return new OutboundRecord(
        ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8),
        Integer.toString(i),
        Optional.empty());
  }

  private static void awaitAcked(Outcomes outcomes, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (outcomes.acked.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(outcomes.acked).hasSizeGreaterThanOrEqualTo(n);
  }

  @Test
  void eachShardIsPacedToItsLimitSoAlmostNothingIsThrottled() {
    // Kinesis counts a shard's writes per second: one second of burst. The pace itself is checked
    // on what reached each shard against the time since the listing, which CPU starvation can only
    // delay: a request sent late lands later, never earlier, so this holds on a loaded machine.
    SimulatedKinesis kinesis = new SimulatedKinesis(4, 2_000, 1.0);
    ProducerSettings settings = ProducerSettings.builder().shardLimits(2_000, 1L << 30).build();
    Outcomes outcomes = new Outcomes();
    long started = System.nanoTime();
    try (Producer<String> producer =
        new Producer<>(kinesis, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      for (int i = 0; i < 12_000; i++) {
        producer.submit(keyed(i), "r" + i);
      }
      producer.finish();
      assertThat(producer.pacing()).isEqualTo(Producer.Pacing.SHARDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(outcomes.acked).hasSize(12_000).doesNotHaveDuplicates();
    assertThat(outcomes.rejected).isEmpty();
    double burst = 2_000 * settings.burst().toNanos() / 1e9;
    assertThat(kinesis.mostEntriesAheadOfPace())
        .as(
            "entries a shard received beyond 2,000/s since the listing: the producer's burst at most")
        .isLessThanOrEqualTo(burst + 1);
    assertThat(kinesis.throttled.get()).as("throttled entries, of 12,000").isLessThan(12_000 / 20);
    assertThat(seconds).as("4 shards at 2,000 records/s take 1.5 s for 12,000").isGreaterThan(1.2);
  }

  @Test
  void aShardThatThrottlesIsSlowedDownAndEveryRecordStillLands() {
    SimulatedKinesis kinesis = new SimulatedKinesis(2, 500);
    ProducerSettings settings =
        ProducerSettings.builder()
            .shardLimits(1_000, 1L << 30)
            .retries(10, Duration.ofMillis(5), Duration.ofMillis(100))
            .build();
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(kinesis, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      for (int i = 0; i < 2_000; i++) {
        producer.submit(keyed(i), "r" + i);
      }
      producer.finish();
    }
    assertThat(outcomes.acked).hasSize(2_000).doesNotHaveDuplicates();
    assertThat(outcomes.rejected).isEmpty();
    assertThat(kinesis.throttled.get())
        .as("the stream throttled")
        .isPositive()
        .as("but the producer backed off instead of hammering it")
        .isLessThan(1_000);
  }

  @Test
  void aResponseFromAnotherShardThanPredictedRefreshesTheShardMap() throws InterruptedException {
    SimulatedKinesis kinesis = new SimulatedKinesis(1, 1_000_000);
    ProducerSettings settings = FAST.toBuilder().shardRefreshInterval(Duration.ZERO).build();
    Outcomes outcomes = new Outcomes();
    Calls calls = new Calls();
    try (Producer<String> producer =
        new Producer<>(kinesis, "s", settings, outcomes, t -> t, calls)) {
      for (int i = 0; i < 500; i++) {
        producer.submit(keyed(i), "r" + i);
      }
      awaitAcked(outcomes, 500);
      kinesis.reshard(2);
      for (int i = 500; i < 1_000; i++) {
        producer.submit(keyed(i), "r" + i);
      }
      producer.finish();
    }
    assertThat(outcomes.acked).hasSize(1_000);
    assertThat(kinesis.listShardsCalls.get())
        .as("first listing, then both pages of the refresh")
        .isGreaterThanOrEqualTo(3);
    assertThat(calls.of("ListShards"))
        .allSatisfy(
            c -> {
              assertThat(c.httpStatus()).isEqualTo(200);
              assertThat(c.requestId()).isPresent();
              assertThat(c.error()).isEmpty();
            });
  }

  @Test
  void withoutListShardsItPacesStreamWideAndAdaptsToThrottling() {
    SimulatedKinesis kinesis = new SimulatedKinesis(2, 1_000).denyingListShards();
    ProducerSettings settings =
        ProducerSettings.builder()
            .retries(10, Duration.ofMillis(5), Duration.ofMillis(100))
            .build();
    Outcomes outcomes = new Outcomes();
    Calls calls = new Calls();
    try (Producer<String> producer =
        new Producer<>(kinesis, "s", settings, outcomes, t -> t, calls)) {
      for (int i = 0; i < 3_000; i++) {
        producer.submit(keyed(i), "r" + i);
      }
      producer.finish();
      assertThat(producer.pacing()).isEqualTo(Producer.Pacing.STREAM_WIDE);
    }
    assertThat(outcomes.acked).hasSize(3_000).doesNotHaveDuplicates();
    assertThat(outcomes.rejected).isEmpty();
    assertThat(calls.of("ListShards"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.httpStatus()).isEqualTo(400);
              assertThat(c.requestId()).contains("req-denied");
              assertThat(c.error())
                  .hasValueSatisfying(e -> assertThat(e).contains("access denied"));
            });
  }

  @Test
  void submitBlocksWhileTheBufferIsFullSoTheSourceWaits() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Destination stalled =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new PutResult(
                records.stream().map(r -> EntryResult.stored("shardId-0", "1")).toList(),
                200,
                Optional.empty());
          }

          @Override
          public void close() {}
        };
    ProducerSettings settings =
        FAST.toBuilder()
            .batching(10, 10_000, Duration.ofMillis(1))
            .maxBufferedBytes(10_000)
            .build();
    Outcomes outcomes = new Outcomes();
    AtomicInteger submitted = new AtomicInteger();
    try (Producer<String> producer =
        new Producer<>(stalled, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      Thread source =
          new Thread(
              () -> {
                for (int i = 0; i < 1_000; i++) {
                  producer.submit(keyed(i), "r" + i);
                  submitted.incrementAndGet();
                }
                producer.finish();
              });
      source.start();
      awaitWaitingOnACondition(source);
      int accepted = submitted.get();
      assertThat(accepted).as("records accepted while nothing is acknowledged").isBetween(1, 100);
      awaitWaitingOnACondition(source);
      assertThat(submitted.get())
          .as("the source still waits, having accepted no more")
          .isEqualTo(accepted);
      release.countDown();
      source.join(10_000);
    }
    assertThat(outcomes.acked).hasSize(1_000);
  }

  /**
   * Waits until {@code thread} waits on a condition (the producer's, for room in its buffer): not
   * on the lock, which it may wait for a moment at any submit, and not for a fixed time.
   */
  private static void awaitWaitingOnACondition(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!(thread.getState() == Thread.State.WAITING
        && java.util.concurrent.locks.LockSupport.getBlocker(thread)
            instanceof java.util.concurrent.locks.Condition)) {
      assertThat(thread.isAlive()).as("the source still submits").isTrue();
      assertThat(System.nanoTime()).as("the source waited within 30 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  @Test
  void neverMoreRequestsAreInFlightThanAllowed() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    // the first requests answer once three are in flight, so the limit is reached however the
    // sending threads are scheduled (a producer allowing fewer would wait out the 30 s, then fail)
    CountDownLatch three = new CountDownLatch(3);
    Destination slow =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            three.countDown();
            try {
              three.await(30, java.util.concurrent.TimeUnit.SECONDS);
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return new PutResult(
                records.stream().map(r -> EntryResult.stored("shardId-0", "1")).toList(),
                200,
                Optional.empty());
          }

          @Override
          public void close() {}
        };
    Outcomes outcomes = new Outcomes();
    ProducerSettings settings =
        FAST.toBuilder()
            .maxInFlight(3)
            .batching(10, Destination.MAX_BATCH_BYTES, Duration.ofMillis(1))
            .build();
    try (Producer<String> producer =
        new Producer<>(slow, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 300);
    }
    assertThat(outcomes.acked).hasSize(300);
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void whenTheRunsRetryBudgetIsSpentFailingRecordsAreRejectedAtOnce() {
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.failed("InternalFailure", "Internal service failure."));
    Outcomes outcomes = new Outcomes();
    ProducerSettings settings =
        FAST.toBuilder()
            .retries(1_000, Duration.ofMillis(1), Duration.ofMillis(2))
            .retryBudget(20, 0)
            .build();
    try (Producer<String> producer =
        new Producer<>(destination, "s", settings, outcomes, t -> t, CallLog.NONE)) {
      submitAll(producer, 10);
    }
    assertThat(outcomes.rejected).hasSize(10).containsValue("InternalFailure");
    assertThat(outcomes.messages.values())
        .allSatisfy(m -> assertThat(m).contains("retry budget of 20 retried attempts is spent"));
    assertThat(destination.requests.stream().mapToInt(List::size).sum())
        .as("records sent, first tries and retries")
        .isEqualTo(10 + 20);
  }

  @Test
  void wholeCallThrottlingBeyondTheAttemptsRejectsTheRecordsAndTheRunGoesOn() {
    FakeDestination destination =
        new FakeDestination(
            d -> EntryResult.stored("shardId-0", "1"),
            100,
            () ->
                new DestinationException(
                    RowstreamException.Kind.RETRYABLE,
                    "PutRecords failed: ThrottlingException: Rate exceeded",
                    null,
                    "ThrottlingException",
                    400,
                    Optional.of("req-throttled")));
    Outcomes outcomes = new Outcomes();
    Calls calls = new Calls();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, calls)) {
      submitAll(producer, 3);
    }
    assertThat(outcomes.rejected)
        .containsOnlyKeys("r0", "r1", "r2")
        .containsValue("ThrottlingException");
    assertThat(outcomes.messages.get("r0"))
        .isEqualTo(
            "Kinesis refused the record on every attempt: PutRecords failed: "
                + "ThrottlingException: Rate exceeded (gave up after 4 attempts)");
    assertThat(calls.of("PutRecords")).extracting(ApiCall::attempt).containsExactly(1, 2, 3, 4);
    assertThat(calls.of("PutRecords"))
        .allSatisfy(
            c -> {
              assertThat(c.httpStatus()).isEqualTo(400);
              assertThat(c.requestId()).contains("req-throttled");
              assertThat(c.entries()).isEmpty();
              assertThat(c.keys()).containsExactly("r0", "r1", "r2");
              assertThat(c.error())
                  .contains("PutRecords failed: ThrottlingException: Rate exceeded");
            });
  }

  @Test
  void aFatalEntryCodeEndsTheRunNamingTheCause() {
    FakeDestination destination =
        new FakeDestination(d -> EntryResult.failed("KMSDisabledException", "key is disabled"));
    Outcomes outcomes = new Outcomes();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, outcomes, t -> t, CallLog.NONE)) {
      assertThatThrownBy(() -> submitAll(producer, 3))
          .isInstanceOf(RowstreamException.class)
          .hasMessageContaining("KMSDisabledException: key is disabled");
    }
    assertThat(destination.requests).hasSize(1);
    assertThat(outcomes.acked).isEmpty();
  }

  @Test
  void everyAttemptIsRecordedWithItsKeysAndPerEntryResults() {
    AtomicInteger tries = new AtomicInteger();
    FakeDestination destination =
        new FakeDestination(
            d ->
                d.equals("r1") && tries.incrementAndGet() < 2
                    ? EntryResult.failed("ProvisionedThroughputExceededException", "Rate exceeded")
                    : EntryResult.stored("shardId-0", "7"));
    Calls calls = new Calls();
    try (Producer<String> producer =
        new Producer<>(destination, "s", FAST, new Outcomes(), t -> "key-" + t, calls)) {
      submitAll(producer, 3);
    }
    List<ApiCall> puts = calls.of("PutRecords");
    assertThat(puts).extracting(ApiCall::attempt).containsExactly(1, 2);
    assertThat(puts.get(0).keys()).containsExactly("key-r0", "key-r1", "key-r2");
    assertThat(puts.get(0).entries())
        .extracting(EntryResult::errorCode)
        .containsExactly(null, "ProvisionedThroughputExceededException", null);
    assertThat(puts.get(1).keys()).containsExactly("key-r1");
    assertThat(puts.get(0).records()).isEqualTo(3);
    assertThat(puts.get(0).bytes()).isEqualTo(3 * 4);
    assertThat(calls.of("ListShards"))
        .singleElement()
        .satisfies(c -> assertThat(c.error()).isPresent());
  }
}
