package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.FaultProxy.Faults;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against kinesalite behind a {@link FaultProxy}: a request refused whole as
 * invalid costs only its bad record, and an endpoint outage is ridden out up to {@code
 * outage_timeout}, then fails the run naming it, without refusing a single row.
 */
class DeliverySafetyNetIT {
  private static final int ROWS = 500;
  private static final Duration WAIT = Duration.ofSeconds(60);

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
    return EMULATORS.kinesalite();
  }

  private String newStream() {
    String name = "safety-" + System.nanoTime() % 1_000_000_000 + "-" + streams++;
    kinesis().createStream(name, 2);
    return name;
  }

  private static long sent(JsonNode summary) {
    return summary.path("added").path("sent").asLong()
        + summary.path("changed").path("sent").asLong()
        + summary.path("removed").path("sent").asLong();
  }

  private static Map<String, Long> perKey(List<LandedRecord> landed) {
    return landed.stream()
        .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
  }

  @Test
  void oneRecordThatMakesKinesisRefuseTheWholeRequestIsRejectedAloneAndTheOther499Land() {
    String stream = newStream();
    Project p = new Project(dir).customers(ROWS, proxy.endpoint(), stream);
    proxy.refuseRequestsHolding("137");

    Project.Result first = p.cli("run", "customers", "--json");

    assertThat(first.exitCode()).as(first.err()).isEqualTo(3);
    JsonNode summary = SyncScenarios.parse(first.out());
    assertThat(summary.path("status").asText()).isEqualTo("completed_with_errors");
    assertThat(sent(summary)).isEqualTo(ROWS - 1);
    assertThat(summary.path("rejections").toString()).isEqualTo("{\"ValidationException\":1}");
    assertThat(proxy.refusedRequests())
        .as("split down to the record alone")
        .isBetween(2L, 1L + 2 * 9);
    Map<String, Long> landed = perKey(kinesis().readAll(stream));
    assertThat(landed).hasSize(ROWS - 1).doesNotContainKey("137");
    assertThat(landed.values()).allMatch(n -> n == 1);
    String rejections =
        p.cli("runs", "customers", "--rejections", summary.path("run_id").asText()).out();
    assertThat(rejections)
        .contains("137")
        .contains("ValidationException")
        .contains("Kinesis refused the record as invalid")
        .contains("failed to satisfy constraint: injected");

    proxy.refuseRequestsHolding(null);
    Project.Result second = p.cli("run", "customers", "--json");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(sent(SyncScenarios.parse(second.out()))).isEqualTo(1);
    assertThat(perKey(kinesis().readAll(stream))).hasSize(ROWS).containsEntry("137", 1L);
  }

  @Test
  void anOutageShorterThanTheBoundIsRiddenOutAndTheRunSucceedsRefusingNothing() throws Exception {
    String stream = newStream();
    Project p =
        new Project(dir)
            .customers(ROWS, proxy.endpoint(), stream)
            .destinationSettings("    outage_timeout: 60s\n");
    proxy.faults(Faults.none().drops(1.0));
    // the endpoint comes back once the run has had several requests go unanswered
    CompletableFuture<Void> heal =
        CompletableFuture.runAsync(
            () -> {
              long deadline = System.nanoTime() + WAIT.toNanos();
              while (proxy.counts().drops() < 5 && System.nanoTime() < deadline) {
                // polls, not spins: a spinning thread would take a core from the run it waits on
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
              }
              proxy.faults(Faults.none());
            });

    Project.Result run = p.cli("run", "customers", "--json");
    heal.get();

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode summary = SyncScenarios.parse(run.out());
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    assertThat(sent(summary)).isEqualTo(ROWS);
    assertThat(summary.path("rejections").size()).isZero();
    assertThat(proxy.counts().drops()).isGreaterThanOrEqualTo(5);
    Map<String, Long> landed = perKey(kinesis().readAll(stream));
    assertThat(landed).hasSize(ROWS);
    assertThat(landed.values()).as("dropped before storing: no duplicates").allMatch(n -> n == 1);
  }

  @Test
  void anOutageLongerThanTheBoundFailsTheRunNamingItWithNoRowRefusedAndTheNextRunSendsEverything() {
    String stream = newStream();
    Project p =
        new Project(dir)
            .customers(ROWS, proxy.endpoint(), stream)
            .destinationSettings("    outage_timeout: 2s\n");
    proxy.faults(Faults.none().http500s(0.5).drops(0.5));

    long start = System.nanoTime();
    Project.Result failed = p.cli("run", "customers", "--json");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
    JsonNode summary = SyncScenarios.parse(failed.out());
    assertThat(summary.path("status").asText()).isEqualTo("failed");
    assertThat(summary.path("error").asText())
        .startsWith("endpoint_unreachable: the Kinesis endpoint gave no answer for")
        .contains("(outage_timeout 2s)")
        .contains("the rows not acknowledged stay undelivered for the next run");
    assertThat(summary.path("rejections").size())
        .as("no row is refused: Kinesis refused nothing")
        .isZero();
    assertThat(summary.path("added").path("rejected").asLong()).isZero();
    assertThat(sent(summary)).isZero();
    assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(30));
    assertThat(kinesis().readAll(stream)).isEmpty();

    proxy.faults(Faults.none());
    Project.Result next = p.cli("run", "customers", "--json");
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(sent(SyncScenarios.parse(next.out()))).isEqualTo(ROWS);
    assertThat(perKey(kinesis().readAll(stream))).hasSize(ROWS);
  }
}
