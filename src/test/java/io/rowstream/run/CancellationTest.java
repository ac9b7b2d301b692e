package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.delivery.PutResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunTally#requestCancel}: the run stops sending, commits what was acknowledged and ends
 * cancelled.
 */
class CancellationTest {
  private static final int ROWS = 2_000;

  /** Requests of 100 records, one at a time, so a cancel lands mid-run. */
  private static final ProducerSettings SMALL_BATCHES =
      ProducerSettings.builder()
          .maxInFlight(1)
          .batching(100, Destination.MAX_BATCH_BYTES, Duration.ofMillis(1))
          .shardLimits(1_000_000, 1L << 40)
          .build();

  @TempDir Path dir;

  /** Stores every record; when the n-th request arrives, it cancels the run (as a signal would). */
  private static final class CancellingDestination implements Destination {
    final AtomicLong stored = new AtomicLong();
    final AtomicInteger requests = new AtomicInteger();
    private final int cancelAt;
    private final RunTally tally;

    CancellingDestination(int cancelAt, RunTally tally) {
      this.cancelAt = cancelAt;
      this.tally = tally;
    }

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      if (requests.incrementAndGet() == cancelAt) {
        tally.requestCancel("SIGTERM");
      }
      List<EntryResult> entries = new ArrayList<>();
      records.forEach(
          r ->
              entries.add(
                  EntryResult.stored(
                      "shardId-000000000000", Long.toString(stored.incrementAndGet()))));
      return new PutResult(entries, 200, Optional.empty());
    }

    @Override
    public void close() {}
  }

  private RowstreamConfig config(String initialSync) throws IOException {
    new Project(dir)
        .sql(
            "create or replace table customers as select i as id from range(1, "
                + (ROWS + 1)
                + ") t(i)");
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, table: customers, primary_key: id, destination: kinesis, stream: s,
                      initial_sync: %s}
        """
            .formatted(initialSync));
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    return result.config().orElseThrow();
  }

  private static RunSummary run(RowstreamConfig config, Destination destination, RunTally tally) {
    return new SyncRunner(config, d -> destination, SMALL_BATCHES, Clock.systemUTC())
        .run("customers", tally);
  }

  @Test
  void aRunCancelledMidSendingCommitsWhatWasAcknowledgedAndTheNextRunSendsTheRest()
      throws IOException {
    RowstreamConfig config = config("backfill");
    RunTally tally = SyncRunner.newTally();
    CancellingDestination destination = new CancellingDestination(3, tally);

    RunSummary cancelled = run(config, destination, tally);

    assertThat(cancelled.status()).isEqualTo(RunSummary.Status.CANCELLED);
    assertThat(cancelled.error())
        .contains(
            "cancelled (SIGTERM): what Kinesis acknowledged is committed; the next run "
                + "sends the rest");
    assertThat(cancelled.sent())
        .as("the requests that were sent, and answered")
        .isEqualTo(destination.stored.get())
        .isBetween(1L, ROWS - 1L);
    assertThat(cancelled.rejected()).isZero();

    RunTally next = SyncRunner.newTally();
    CancellingDestination after = new CancellingDestination(-1, next);
    RunSummary rest = run(config, after, next);
    assertThat(rest.status()).isEqualTo(RunSummary.Status.SUCCEEDED);
    assertThat(rest.sent()).isEqualTo(ROWS - cancelled.sent());
  }

  @Test
  void aRunCancelledBeforeItStartsSendsNothingAndStaysAFirstRun() throws IOException {
    RowstreamConfig config = config("skip");
    RunTally tally = SyncRunner.newTally();
    tally.requestCancel("cancelled through the API");
    CancellingDestination destination = new CancellingDestination(-1, tally);

    RunSummary cancelled = run(config, destination, tally);

    assertThat(cancelled.status()).isEqualTo(RunSummary.Status.CANCELLED);
    assertThat(cancelled.error())
        .get()
        .asString()
        .startsWith("cancelled (cancelled through the API)");
    assertThat(destination.requests).hasValue(0);
    // the baseline of initial_sync: skip was not recorded, so the next run records it and sends
    // nothing
    RunTally next = SyncRunner.newTally();
    RunSummary baseline = run(config, new CancellingDestination(-1, next), next);
    assertThat(baseline.status()).isEqualTo(RunSummary.Status.SUCCEEDED);
    assertThat(baseline.sent()).isZero();
    assertThat(baseline.skipped()).isEqualTo(ROWS);
  }
}
