package io.rowstream.schedule;

import static java.util.Objects.requireNonNull;

import io.rowstream.state.WorkerLeases;
import io.rowstream.state.WorkerLeases.LeaseGrant;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as one of several {@code serve} workers on one shared state: every run holds its
 * sync's lease (renewed by heartbeats), each due schedule starts on the one worker that claims it,
 * and a sync whose holder stopped renewing (killed, hung, cut off) is taken over by one worker.
 *
 * <p>Lifecycle: {@link #start}; give {@link #claims()} and {@link #leased} to the {@link
 * Scheduler}, then {@link #watchTakeovers} it; {@link #stopping()} before the scheduler shuts down
 * (runs it cancels hand their sync over at once); {@link #close()} last.
 */
public final class Workers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  private final WorkerLeases leases;
  private final String worker;
  private final Duration ttl;
  private final Duration heartbeat;
  private final ScheduledExecutorService beats;
  private volatile boolean stopping;

  private Workers(WorkerLeases leases, String worker, Duration ttl, Duration heartbeat) {
    this.leases = requireNonNull(leases, "leases is null");
    this.worker = requireNonNull(worker, "worker is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
    if (heartbeat.isZero() || heartbeat.compareTo(ttl.dividedBy(2)) > 0) {
      throw new IllegalArgumentException(
          "the heartbeat (" + heartbeat + ") must be at most half the lease TTL (" + ttl + ")");
    }
    this.beats =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "rowstream-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Coordinates through {@code leases} as {@code worker}: a lease lasts {@code ttl} unless renewed,
   * and is renewed every {@code heartbeat} (at most half of {@code ttl}).
   */
  public static Workers start(
      WorkerLeases leases, String worker, Duration ttl, Duration heartbeat) {
    return new Workers(leases, worker, ttl, heartbeat);
  }

  /** A name for this process among the workers: host, process id and a random suffix. */
  public static String newWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host
        + ":"
        + ProcessHandle.current().pid()
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000))
            .toLowerCase(Locale.ROOT);
  }

  public String worker() {
    return worker;
  }

  /** Claims each due schedule in the shared state: one worker wins each fire. */
  public FireClaims claims() {
    return (sync, fire) -> {
      try {
        return leases.claim(sync, "schedule:" + fire, worker);
      } catch (RuntimeException e) {
        LOG.warn(
            "the schedule of sync {} fell due at {} but could not be claimed, so no worker runs it"
                + " now: {}",
            sync,
            fire,
            e.getMessage());
        return false;
      }
    };
  }

  /** {@code runs}, each under its sync's lease: waits for the lease, renews it, releases it. */
  public RunLauncher leased(RunLauncher runs) {
    return new LeasedLauncher(this, requireNonNull(runs, "runs is null"));
  }

  /**
   * Looks for interrupted runs of other workers every heartbeat: a sync of this config whose lease
   * expired without a release is claimed once, and the winner triggers a run of it ({@link
   * Trigger#TAKEOVER}), which takes the expired lease and sends what was not acknowledged.
   */
  public void watchTakeovers(Scheduler scheduler) {
    requireNonNull(scheduler, "scheduler is null");
    long every = heartbeat.toMillis();
    beats.scheduleWithFixedDelay(() -> takeOver(scheduler), every, every, TimeUnit.MILLISECONDS);
  }

  private void takeOver(Scheduler scheduler) {
    if (stopping) {
      return;
    }
    try {
      for (LeaseGrant expired : leases.abandoned()) {
        if (stopping) {
          return;
        }
        if (scheduler.view(expired.sync()).isEmpty()
            || !leases.claim(expired.sync(), expired.takeoverToken(), worker)) {
          continue;
        }
        LOG.info(
            "taking over sync {}: worker {} stopped renewing its lease during run {}",
            expired.sync(),
            expired.worker(),
            expired.runId());
        try {
          scheduler.trigger(expired.sync(), Trigger.TAKEOVER);
        } catch (IllegalArgumentException | IllegalStateException e) {
          LOG.warn("could not take over sync {}: {}", expired.sync(), e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not look for interrupted runs of other workers: {}", e.getMessage());
    }
  }

  /** The service stops: no more takeovers, and runs cancelled from now on hand their sync over. */
  public void stopping() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }

  WorkerLeases leases() {
    return leases;
  }

  Duration ttl() {
    return ttl;
  }

  Duration heartbeat() {
    return heartbeat;
  }

  ScheduledExecutorService beats() {
    return beats;
  }

  @Override
  public void close() {
    stopping = true;
    beats.shutdownNow();
    leases.close();
  }
}
