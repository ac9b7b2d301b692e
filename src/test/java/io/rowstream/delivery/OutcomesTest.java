package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.RowstreamException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one answer to a PutRecords request is sorted, against real queues, lanes and retries. */
class OutcomesTest {
  private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);
  private static final BigInteger TOP = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
  private static final long NOW = 1_000_000_000_000L;

  private final ProducerSettings settings =
      ProducerSettings.builder().shardRefreshInterval(Duration.ofSeconds(1)).build();
  private final ShardQueues<String> queues = new ShardQueues<>(settings);
  private final RetrySchedule<String> retries = new RetrySchedule<>(settings);
  private final ShardRefresh refresh = new ShardRefresh(settings.shardRefreshInterval());
  private final Outcomes<String> outcomes =
      new Outcomes<>("orders", retries, new Refusals<>(settings, retries), queues, refresh);

  OutcomesTest() {
    queues.install(
        new ShardMap(
            List.of(
                new StreamShard("shard-0", BigInteger.ZERO, HALF.subtract(BigInteger.ONE), true),
                new StreamShard("shard-1", HALF, TOP, true))),
        NOW);
    refresh.listed(NOW);
  }

  /** Records with explicit hash keys on shard-0, queued and sent once, as the producer does. */
  private List<Pending<String>> sent(int count) {
    List<Pending<String>> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Pending<String> e =
          new Pending<>(
              new OutboundRecord(
                  ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                  "k" + i,
                  Optional.of(Integer.toString(i))),
              "row-" + i);
      queues.place(e, false);
      batch.add(e);
    }
    Request.of(batch, tag -> tag, null, NOW);
    return batch;
  }

  private static Request.Outcome answered(EntryResult... entries) {
    return new Request.Outcome(new PutResult(List.of(entries), 200, Optional.empty()), null);
  }

  private static Request.Outcome refused(String code, int status, RowstreamException.Kind kind) {
    return new Request.Outcome(
        null,
        new DestinationException(kind, code + " refused", null, code, status, Optional.empty()));
  }

  /** Nothing settled, nothing stops: the records wait in the retries, the dispatcher is woken. */
  private void assertScheduledAgain(Outcomes.Verdict<String> verdict, Settled<String> settled) {
    assertThat(verdict.fatal()).isNull();
    assertThat(verdict.wake()).isTrue();
    assertThat(settled.count).isZero();
    assertThat(retries.isEmpty()).isFalse();
  }

  @Test
  void storedEntriesAreAcknowledgedAndAStreamRefusalStopsTheProducer() {
    Settled<String> settled = new Settled<>();
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(2),
            answered(
                EntryResult.stored("shard-0", "1"),
                EntryResult.failed("ResourceNotFoundException", "no stream")),
            settled,
            2,
            NOW);

    assertThat(settled.acked).containsExactly("row-0");
    assertThat(verdict.fatal()).isNotNull();
    assertThat(verdict.fatal().getMessage()).contains("orders");
    assertThat(verdict.splits()).isEmpty();
  }

  @Test
  void aThrottledEntryIsScheduledAgainAndWakesTheDispatcher() {
    Settled<String> settled = new Settled<>();
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(1),
            answered(EntryResult.failed("ProvisionedThroughputExceededException", "slow down")),
            settled,
            1,
            NOW);

    assertScheduledAgain(verdict, settled);
  }

  @Test
  void aResponseWithAnotherNumberOfEntriesThanSentStops() {
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(2), answered(EntryResult.stored("shard-0", "1")), new Settled<>(), 2, NOW);

    assertThat(verdict.fatal().getMessage()).contains("1 entries for 2 records");
  }

  @Test
  void aRequestRefusedWholeAsInvalidIsSplitInHalves() {
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(4),
            refused("ValidationException", 400, RowstreamException.Kind.FATAL),
            new Settled<>(),
            4,
            NOW);

    assertThat(verdict.fatal()).isNull();
    assertThat(verdict.wake()).isTrue();
    assertThat(verdict.splits()).hasSize(2).allSatisfy(half -> assertThat(half).hasSize(2));
  }

  @Test
  void noAnswerIsRiddenOutWithoutRejectingAnything() {
    Settled<String> settled = new Settled<>();
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(3),
            refused(DestinationException.NO_RESPONSE, 0, RowstreamException.Kind.RETRYABLE),
            settled,
            3,
            NOW);

    assertScheduledAgain(verdict, settled);
  }

  @Test
  void anEntryStoredOnAnotherShardThanPredictedWantsTheShardsListedOnceAnInterval() {
    long later = NOW + Duration.ofSeconds(2).toNanos();
    Outcomes.Verdict<String> verdict =
        outcomes.sort(
            sent(1), answered(EntryResult.stored("shard-7", "1")), new Settled<>(), 1, later);

    assertThat(verdict.wake()).isTrue();
    assertThat(refresh.take()).isTrue();
    assertThat(
            outcomes
                .sort(
                    sent(1),
                    answered(EntryResult.stored("shard-7", "2")),
                    new Settled<>(),
                    2,
                    later + 1)
                .wake())
        .as("within the interval of the last listing")
        .isFalse();
    assertThat(refresh.take()).isFalse();
  }
}
