package io.rowstream.schedule;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import io.rowstream.state.WorkerLeases.LeaseGrant;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each run under its sync's lease, in order:
 *
 * <ol>
 *   <li>takes the lease, waiting while another worker holds it (the run counts against {@code
 *       max_concurrent_runs} meanwhile; cancelling it stops the wait);
 *   <li>renews it every heartbeat while the run goes on;
 *   <li>if no renewal succeeded for {@link #stopAfter} (five sixths of the TTL: the database's
 *       expiry is later still), or a renewal finds the lease taken over, the lease is lost: the run
 *       is cancelled at once, its producer sends nothing more (what is in flight may still land;
 *       those are the only duplicates), and the lease is left to expire so that a worker takes the
 *       sync over;
 *   <li>releases it when the run ends; a run cancelled because the service stops hands the sync
 *       over instead, so another worker sends the rest at once.
 * </ol>
 */
final class LeasedLauncher implements RunLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LeasedLauncher.class);

  /** How often a waiting run asks for the lease again, at most. */
  private static final Duration MAX_POLL = Duration.ofSeconds(1);

  private final Workers workers;
  private final RunLauncher runs;

  LeasedLauncher(Workers workers, RunLauncher runs) {
    this.workers = workers;
    this.runs = runs;
  }

  /** How long after its last confirmed renewal a run stops sending. */
  Duration stopAfter() {
    return workers.ttl().minus(workers.ttl().dividedBy(6));
  }

  @Override
  public RunSummary run(String sync, String runId, RunTally tally, RunOptions options) {
    Instant asked = Instant.now();
    LeaseGrant grant;
    long confirmed;
    boolean waitLogged = false;
    while (true) {
      if (tally.cancelRequested() || Thread.currentThread().isInterrupted()) {
        return notRun(
            sync,
            runId,
            asked,
            RunSummary.Status.CANCELLED,
            ErrorCode.CANCELLED,
            "cancelled ("
                + tally.cancelReason().orElse("on request")
                + ") while waiting for another worker to finish the sync");
      }
      confirmed = System.nanoTime();
      Optional<LeaseGrant> taken;
      try {
        taken = workers.leases().acquire(sync, workers.worker(), runId, workers.ttl());
      } catch (RowstreamException e) {
        return notRun(sync, runId, asked, RunSummary.Status.FAILED, e.code(), e.getMessage());
      }
      if (taken.isPresent()) {
        grant = taken.get();
        break;
      }
      if (!waitLogged) {
        LOG.info("run {} of sync {} waits: another worker runs the sync", runId, sync);
        waitLogged = true;
      }
      sleep(min(workers.heartbeat(), MAX_POLL));
    }
    grant
        .tookOverFrom()
        .ifPresent(
            from ->
                LOG.info(
                    "run {} took sync {} over from worker {}, whose lease expired",
                    runId,
                    sync,
                    from));
    Holding holding = new Holding(grant, tally, confirmed);
    RunSummary summary = null;
    try {
      summary = runs.run(sync, runId, tally, options);
      return summary;
    } finally {
      holding.stop();
      end(grant, holding, summary);
    }
  }

  private void end(LeaseGrant grant, Holding holding, RunSummary summary) {
    if (holding.lost) {
      return; // left to expire: a worker takes the sync over
    }
    try {
      if (summary != null
          && summary.status() == RunSummary.Status.CANCELLED
          && workers.isStopping()) {
        workers.leases().handOver(grant);
      } else {
        workers.leases().release(grant);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "could not release the lease of sync {}; it expires within {}s: {}",
          grant.sync(),
          workers.ttl().toSeconds(),
          e.getMessage());
    }
  }

  /** A held lease: renewed every heartbeat, watched for the deadline to stop sending. */
  private final class Holding {
    private final LeaseGrant grant;
    private final RunTally tally;
    private final ScheduledFuture<?> renewing;
    private final ScheduledFuture<?> watching;
    private volatile long confirmedNanos;
    private volatile boolean lost;

    Holding(LeaseGrant grant, RunTally tally, long confirmedNanos) {
      this.grant = grant;
      this.tally = tally;
      this.confirmedNanos = confirmedNanos;
      long beat = workers.heartbeat().toMillis();
      this.renewing =
          workers.beats().scheduleWithFixedDelay(this::renew, beat, beat, TimeUnit.MILLISECONDS);
      // watched apart from renewing, so a renewal stuck in a hung database cannot delay the stop
      long watch = Math.max(20, Math.min(250, workers.ttl().toMillis() / 20));
      this.watching =
          workers.beats().scheduleWithFixedDelay(this::watch, watch, watch, TimeUnit.MILLISECONDS);
    }

    private void renew() {
      if (lost) {
        return;
      }
      long before = System.nanoTime();
      try {
        if (workers.leases().renew(grant, workers.ttl())) {
          confirmedNanos = before;
        } else {
          lose("it expired and another worker may hold it now");
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "could not renew the lease of sync {} (run {}); the run stops sending {}s after the"
                + " last renewal unless one succeeds: {}",
            grant.sync(),
            grant.runId(),
            stopAfter().toSeconds(),
            e.getMessage());
      }
    }

    private void watch() {
      if (!lost && System.nanoTime() - confirmedNanos > stopAfter().toNanos()) {
        lose("no heartbeat renewed it for " + stopAfter().toMillis() + " ms");
      }
    }

    private void lose(String why) {
      if (lost) {
        return;
      }
      lost = true;
      LOG.warn(
          "run {} lost the lease of sync {} ({}): it stops sending; a worker takes the sync over",
          grant.runId(),
          grant.sync(),
          why);
      tally.requestCancel("this worker lost the lease of the sync: " + why);
    }

    void stop() {
      renewing.cancel(false);
      watching.cancel(false);
    }
  }

  private static RunSummary notRun(
      String sync,
      String runId,
      Instant asked,
      RunSummary.Status status,
      ErrorCode code,
      String error) {
    return RunSummary.builder(sync, runId, status)
        .startedAt(asked.truncatedTo(ChronoUnit.MILLIS).toString())
        .finishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
        .error(error)
        .errorCode(Optional.of(code))
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
