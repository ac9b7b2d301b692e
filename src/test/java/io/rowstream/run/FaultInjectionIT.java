package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.FaultProxy.Faults;
import io.rowstream.testing.FaultProxy.Throttle;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC §4.2–4.4 under faults: kinesalite behind a {@link FaultProxy}, through the SyncRunner (and
 * the CLI for fatal errors). For every fault: nothing is lost (every row of the model is on the
 * stream after the runs), rows rejected in one run land in a later one, and the only duplicates are
 * records that were stored while their answer was lost.
 */
class FaultInjectionIT {
  private static final int ROWS = 1_000;

  /** Short retries keep the suite fast. */
  private static final ProducerSettings FAST =
      ProducerSettings.builder().retries(6, Duration.ofMillis(20), Duration.ofMillis(200)).build();

  /**
   * Far above what an answered call takes on a loaded machine (at load 20, kinesalite took over a
   * second, and the client gave up on calls the proxy had stored: duplicates the proxy could not
   * account for); an injected timeout holds its call longer than this.
   */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration TIMEOUT_HOLD = ATTEMPT_TIMEOUT.plusSeconds(1);
  private static final int MAX_RUNS = 6;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;
  private FaultProxy proxy;
  private int streams;

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.inFrontOf(kinesis().endpoint());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private static KinesisEmulator kinesis() {
    return EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
  }

  private String newStream(int shards) {
    String name = "faults-" + System.nanoTime() % 1_000_000_000 + "-" + streams++;
    kinesis().createStream(name, shards);
    return name;
  }

  private Project customers(String stream) {
    return new Project(dir).customers(ROWS, proxy.endpoint(), stream);
  }

  private static RunSummary run(Project p, ProducerSettings settings, Duration attemptTimeout) {
    RowstreamConfig config =
        ConfigReader.read(p.dir.resolve("rowstream.yaml")).config().orElseThrow();
    return new SyncRunner(
            config, c -> KinesisDestination.connect(c, attemptTimeout), settings, Clock.systemUTC())
        .run("customers", SyncRunner.newTally());
  }

  /** Runs the sync until a run succeeds; every run but the last completed with rejected rows. */
  private static List<RunSummary> runUntilSucceeded(Project p, ProducerSettings settings) {
    return runUntilSucceeded(p, settings, ATTEMPT_TIMEOUT);
  }

  private static List<RunSummary> runUntilSucceeded(
      Project p, ProducerSettings settings, Duration attemptTimeout) {
    List<RunSummary> runs = new ArrayList<>();
    for (int i = 0; i < MAX_RUNS; i++) {
      RunSummary summary = run(p, settings, attemptTimeout);
      runs.add(summary);
      assertThat(summary.status())
          .as("run %d: %s", i + 1, summary.toJson())
          .isNotEqualTo(RunSummary.Status.FAILED);
      if (summary.status() == RunSummary.Status.SUCCEEDED) {
        return runs;
      }
    }
    throw new AssertionError("no run succeeded in " + MAX_RUNS + ": " + runs);
  }

  /**
   * Every row is on the stream; a key appears more than once only as often as it was stored
   * unanswered.
   */
  private void assertNothingLostAndDuplicatesOnlyInFlight(String stream) {
    List<LandedRecord> landed = kinesis().readAll(stream);
    Map<String, Long> perKey =
        landed.stream()
            .collect(
                Collectors.groupingBy(
                    LandedRecord::partitionKey, TreeMap::new, Collectors.counting()));
    assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
    Map<String, Long> duplicates = new TreeMap<>();
    perKey.forEach(
        (key, n) -> {
          if (n > 1) {
            duplicates.put(key, n - 1);
          }
        });
    Map<String, Long> unanswered =
        proxy.storedButUnanswered().stream()
            .collect(
                Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    assertThat(duplicates)
        .as("duplicates are exactly the records stored while their answer was lost")
        .isEqualTo(unanswered);
  }

  private static long sent(List<RunSummary> runs) {
    return runs.stream().mapToLong(RunSummary::sent).sum();
  }

  @Test
  void throttledEntriesAreRetriedAndThePaceDropsUntilEveryRowLands() {
    String stream = newStream(2);
    // the stream takes less than the producer believes a shard takes, so it throttles
    proxy.throttle(new Throttle(kinesis().shards(stream), 300, 1 << 20, Duration.ofMillis(200)));
    Project p = customers(stream);

    List<RunSummary> runs =
        runUntilSucceeded(
            p, FAST.toBuilder().retries(10, Duration.ofMillis(20), Duration.ofMillis(500)).build());

    assertThat(proxy.counts().throttled()).as("throttled entries").isPositive();
    assertThat(sent(runs)).isEqualTo(ROWS);
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void internalFailureEntriesAreRetriedAndRowsRejectedInOneRunLandInTheNext() {
    String stream = newStream(2);
    proxy.faults(Faults.none().internalFailures(0.3));
    Project p = customers(stream);

    List<RunSummary> runs =
        runUntilSucceeded(
            p, FAST.toBuilder().retries(2, Duration.ofMillis(10), Duration.ofMillis(50)).build());

    RunSummary first = runs.get(0);
    assertThat(first.status()).isEqualTo(RunSummary.Status.COMPLETED_WITH_ERRORS);
    assertThat(first.rejections()).containsOnlyKeys("InternalFailure");
    assertThat(runs.size()).isGreaterThan(1);
    assertThat(sent(runs)).isEqualTo(ROWS);
    assertThat(proxy.counts().internalFailures()).isPositive();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void http500sAreRetriedWholeAndDuplicateNothing() {
    String stream = newStream(2);
    proxy.faults(Faults.none().http500s(0.4));
    Project p = customers(stream);

    List<RunSummary> runs = runUntilSucceeded(p, FAST);

    assertThat(proxy.counts().http500s()).isPositive();
    assertThat(sent(runs)).isEqualTo(ROWS);
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void slowResponsesOnlySlowTheRunDown() {
    String stream = newStream(2);
    proxy.faults(Faults.none().slow(0.5, Duration.ofMillis(300)));
    Project p = customers(stream);

    List<RunSummary> runs = runUntilSucceeded(p, FAST);

    assertThat(runs).hasSize(1);
    assertThat(proxy.counts().slow()).isPositive();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void timeoutsAfterTheRecordsWereStoredDuplicateExactlyThoseRecords() {
    String stream = newStream(2);
    proxy.faults(Faults.none().timeouts(0.3, TIMEOUT_HOLD).afterStore());
    Project p = customers(stream);

    runUntilSucceeded(p, FAST);

    assertThat(proxy.counts().timeouts()).isPositive();
    assertThat(proxy.storedButUnanswered()).isNotEmpty();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void timeoutsBeforeAnythingWasStoredDuplicateNothing() {
    String stream = newStream(2);
    proxy.faults(Faults.none().timeouts(0.3, TIMEOUT_HOLD));
    Project p = customers(stream);

    runUntilSucceeded(p, FAST);

    assertThat(proxy.counts().timeouts()).isPositive();
    assertThat(proxy.storedButUnanswered()).isEmpty();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void connectionsDroppedAfterTheRecordsWereStoredDuplicateExactlyThoseRecords() {
    String stream = newStream(2);
    proxy.faults(Faults.none().drops(0.3).afterStore());
    Project p = customers(stream);

    runUntilSucceeded(p, FAST);

    assertThat(proxy.counts().drops()).isPositive();
    assertThat(proxy.storedButUnanswered()).isNotEmpty();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void aShardSplitDuringARunRefreshesTheShardMapAndLosesNothing() throws Exception {
    String stream = newStream(1);
    Project p = customers(stream);
    // a slow pace; the proxy holds its answers after a quarter of the rows until the shard has
    // split, so the split comes mid-run however loaded the machine is
    ProducerSettings paced =
        FAST.toBuilder()
            .shardLimits(250, 1 << 20)
            .shardRefreshInterval(Duration.ofMillis(200))
            .build();
    AnswerGate gate = proxy.holdAnswersAfter(ROWS / 4);
    AtomicReference<Throwable> splitFailed = new AtomicReference<>();
    Thread split =
        new Thread(
            () -> {
              try {
                if (!gate.awaitHolding(Duration.ofMinutes(2))) {
                  throw new AssertionError("no answer was held: " + gate.stored() + " stored");
                }
                kinesis()
                    .client()
                    .splitShard(
                        b ->
                            b.streamName(stream)
                                .shardToSplit("shardId-000000000000")
                                .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
              } catch (Throwable e) {
                splitFailed.set(e);
              } finally {
                gate.open();
              }
            });
    split.start();
    // answers held while the shard splits: no attempt may time out meanwhile
    List<RunSummary> runs = runUntilSucceeded(p, paced, Duration.ofMinutes(2));
    split.join();
    assertThat(splitFailed.get()).as("the split mid-run").isNull();

    assertThat(runs).hasSize(1);
    assertThat(proxy.counts().listShardsCalls())
        .as("the first listing and a refresh after the split")
        .isGreaterThanOrEqualTo(2);
    assertThat(kinesis().shards(stream)).hasSize(2);
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void withoutListShardsPermissionTheRunAdaptsStreamWideToThrottling() {
    String stream = newStream(2);
    proxy.faults(Faults.none().denyingListShards());
    proxy.throttle(new Throttle(kinesis().shards(stream), 400, 1 << 20, Duration.ofMillis(200)));
    Project p = customers(stream);

    List<RunSummary> runs =
        runUntilSucceeded(
            p, FAST.toBuilder().retries(10, Duration.ofMillis(20), Duration.ofMillis(500)).build());

    assertThat(proxy.counts().listShardsCalls()).isEqualTo(1);
    assertThat(proxy.counts().throttled()).isPositive();
    assertThat(sent(runs)).isEqualTo(ROWS);
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "KMSDisabledException | 400 | its KMS key refused the request (KMSDisabledException",
        "KMSAccessDeniedException | 400 | its KMS key refused the request (KMSAccessDeniedException",
        "AccessDeniedException | 400 | access denied: the credentials of destination kinesis may not call kinesis:PutRecords",
        "UnrecognizedClientException | 400 | the credentials of destination kinesis were refused (UnrecognizedClientException)",
        "ExpiredTokenException | 400 | were refused (ExpiredTokenException)"
      })
  void aFatalErrorFailsTheRunAtOnceNamingTheCauseAndTheNextRunSendsEverything(
      String code, int status, String message) {
    String stream = newStream(1);
    proxy.faults(Faults.none().failingEveryPut(code, status));
    Project p = customers(stream);

    Project.Result failed = p.cli("run", "customers", "--json");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(failed.out()).get("error").asText()).contains(message);
    assertThat(proxy.counts().putCalls())
        .as("no retries of a fatal error")
        .isLessThanOrEqualTo(ProducerSettings.DEFAULT_MAX_IN_FLIGHT);
    assertThat(kinesis().readAll(stream)).isEmpty();

    proxy.faults(Faults.none());
    assertThat(p.cli("run", "customers").exitCode()).isZero();
    assertNothingLostAndDuplicatesOnlyInFlight(stream);
  }

  @Test
  void aMissingStreamFailsTheRunNamingTheStream() {
    Project p = customers("no-such-stream");
    Project.Result failed = p.cli("run", "customers", "--json");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(failed.out()).get("error").asText())
        .contains("stream 'no-such-stream' was not found in region us-east-1");
  }
}
