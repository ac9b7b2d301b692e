package io.rowstream.schedule;

import static io.rowstream.schedule.SchedulerTest.every;
import static io.rowstream.schedule.SchedulerTest.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ScheduleSpec;
import io.rowstream.core.Secret;
import io.rowstream.run.RunOptions;
import io.rowstream.run.RunSummary;
import io.rowstream.run.RunTally;
import io.rowstream.run.SyncRunner;
import io.rowstream.state.WorkerLeases;
import io.rowstream.state.WorkerLeases.LeaseGrant;
import io.rowstream.store.postgres.PgWorkerLeases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several workers on one PostgreSQL state, in one JVM: each worker has its own connection, its own
 * {@link Workers} and its own {@link Scheduler}, as each {@code serve} process does.
 */
class WorkersIT {
  /**
   * Long enough that a heartbeat (a third of it) is never late by a whole TTL on a loaded machine:
   * a late one would stop a run these tests expect to keep its lease.
   */
  private static final Duration TTL = Duration.ofSeconds(5);

  private static final Duration HEARTBEAT = TTL.dividedBy(3);
  private static final AtomicInteger SYNCS = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<Scheduler> schedulers = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @AfterEach
  void close() throws Exception {
    for (Scheduler s : schedulers) {
      s.shutdown(Duration.ofSeconds(5), "test over");
    }
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private static String freshSync() {
    return "sync_" + SYNCS.incrementAndGet() + "_" + System.nanoTime();
  }

  private WorkerLeases leases() {
    WorkerLeases leases =
        PgWorkerLeases.open(
            postgres.getJdbcUrl("postgres", "postgres"),
            Optional.of("postgres"),
            Optional.of(new Secret("unused")),
            "rowstream");
    opened.add(leases);
    return leases;
  }

  private Workers workers(String name) {
    return workers(name, leases());
  }

  private Workers workers(String name, WorkerLeases leases) {
    Workers w = Workers.start(leases, name, TTL, HEARTBEAT);
    opened.add(0, w);
    return w;
  }

  private Scheduler scheduler(java.time.Clock clock, Workers workers, RunLauncher runs) {
    Scheduler s = new Scheduler(clock, workers.leased(runs), RunListener.NONE, workers.claims());
    schedulers.add(s);
    return s;
  }

  /** A run that sends until it is cancelled, and says when it noticed. */
  private static final class SendingRun implements RunLauncher {
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<String> stopped = new CompletableFuture<>();
    final AtomicReference<Runnable> onStop = new AtomicReference<>(() -> {});

    @Override
    public RunSummary run(String sync, String runId, RunTally tally, RunOptions options) {
      started.complete(null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // polls instead of spinning: a spinning thread takes one of the machine's two cores from
      // the heartbeats and the database this test is about
      while (!tally.cancelRequested() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      onStop.get().run();
      stopped.complete(tally.cancelReason().orElse("not cancelled"));
      return RunSummary.builder(
              sync,
              runId,
              tally.cancelRequested() ? RunSummary.Status.CANCELLED : RunSummary.Status.SUCCEEDED)
          .startedAt("2026-12-02T00:00:00Z")
          .finishedAt("2026-12-02T00:00:01Z")
          .build();
    }
  }

  @Test
  void aRunWhoseLeaseWasTakenOverStopsSendingAndLeavesTheLeaseToItsNewHolder() throws Exception {
    Workers a = workers("a");
    WorkerLeases thief = leases();
    String sync = freshSync();
    SendingRun run = new SendingRun();
    CompletableFuture<RunSummary> summary =
        CompletableFuture.supplyAsync(
            () -> a.leased(run).run(sync, "run-a", SyncRunner.newTally(), RunOptions.DEFAULT));
    run.started.get(30, TimeUnit.SECONDS);

    // as if a's heartbeats had stopped reaching the database: the lease expires and is taken
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "update rowstream.worker_lease set expires_at = clock_timestamp() - interval '1 second'"
              + " where sync = '"
              + sync
              + "'");
    }
    LeaseGrant taken = thief.acquire(sync, "thief", "run-t", Duration.ofMinutes(5)).orElseThrow();

    assertThat(run.stopped.get(30, TimeUnit.SECONDS)).contains("lost the lease");
    RunSummary ended = summary.get(30, TimeUnit.SECONDS);
    assertThat(ended.status()).isEqualTo(RunSummary.Status.CANCELLED);
    assertThat(thief.renew(taken, Duration.ofMinutes(5)))
        .as("the run that lost the lease did not release the new holder's lease")
        .isTrue();
  }

  @Test
  void aRunWhoseHeartbeatsFailStopsSendingBeforeAnyWorkerCanTakeTheSync() throws Exception {
    AtomicBoolean cutOff = new AtomicBoolean();
    WorkerLeases real = leases();
    WorkerLeases flaky = new CutOffRenewals(real, cutOff);
    Workers a = workers("a", flaky);
    WorkerLeases other = leases();
    String sync = freshSync();
    SendingRun run = new SendingRun();
    AtomicReference<Instant> stoppedAt = new AtomicReference<>();
    run.onStop.set(() -> stoppedAt.set(Instant.now()));
    CompletableFuture<RunSummary> summary =
        CompletableFuture.supplyAsync(
            () -> a.leased(run).run(sync, "run-a", SyncRunner.newTally(), RunOptions.DEFAULT));
    run.started.get(30, TimeUnit.SECONDS);
    Thread.sleep(TTL.toMillis()); // heartbeats keep it past its TTL
    assertThat(run.stopped).isNotDone();

    cutOff.set(true);
    assertThat(run.stopped.get(30, TimeUnit.SECONDS)).contains("lost the lease");
    assertThat(stoppedAt.get())
        .as("the run stopped before its lease expired in the database (same machine, same clock)")
        .isBefore(expiresAt(sync));
    assertThat(summary.get(30, TimeUnit.SECONDS).status()).isEqualTo(RunSummary.Status.CANCELLED);
    LeaseGrant next =
        awaitPresent(
            "the lease to expire",
            () -> other.acquire(sync, "other", "run-o", Duration.ofMinutes(5)));
    assertThat(next.tookOverFrom()).as("left to expire, not released").contains("a");
  }

  @Test
  void aRunWaitsWhileAnotherWorkerRunsTheSyncAndNeverOverlapsIt() throws Exception {
    Workers a = workers("a");
    Workers b = workers("b");
    String sync = freshSync();
    List<String> events = new CopyOnWriteArrayList<>();
    FakeLauncher runs = new FakeLauncher();
    RunLauncher recording =
        (s, runId, tally, options) -> {
          events.add("start " + runId);
          RunSummary done = runs.run(s, runId, tally, options);
          events.add("end " + runId);
          return done;
        };
    Scheduler sa = scheduler(java.time.Clock.systemUTC(), a, recording);
    Scheduler sb = scheduler(java.time.Clock.systemUTC(), b, recording);
    for (Scheduler s : List.of(sa, sb)) {
      s.configure(List.of(sync(sync, ScheduleSpec.MANUAL, false)), 2, Map.of());
    }
    runs.hold(sync);
    ScheduledRun first = sa.trigger(sync, Trigger.API);
    FakeLauncher.await("a's run", () -> events.size() == 1);
    ScheduledRun second = sb.trigger(sync, Trigger.API);
    Thread.sleep(HEARTBEAT.multipliedBy(3).toMillis());
    assertThat(events).as("b waits for the lease").containsExactly("start " + first.runId());

    runs.release(sync);
    FakeLauncher.await("both runs", () -> events.size() == 4);
    assertThat(events)
        .containsExactly(
            "start " + first.runId(),
            "end " + first.runId(),
            "start " + second.runId(),
            "end " + second.runId());
    assertThat(runs.maxPerSync.get(sync)).isEqualTo(1);
  }

  @Test
  void aKilledWorkersSyncIsTakenOverOnceByOneOfTheOthers() throws Exception {
    String sync = freshSync();
    WorkerLeases killed = leases();
    killed.acquire(sync, "killed", "run-k", TTL).orElseThrow(); // and never renewed
    List<FakeLauncher> launchers = new ArrayList<>();
    List<Scheduler> others = new ArrayList<>();
    for (String name : List.of("b", "c")) {
      Workers w = workers(name);
      FakeLauncher runs = new FakeLauncher();
      Scheduler s = scheduler(java.time.Clock.systemUTC(), w, runs);
      s.configure(List.of(sync(sync, ScheduleSpec.MANUAL, false)), 2, Map.of());
      w.watchTakeovers(s);
      launchers.add(runs);
      others.add(s);
    }
    FakeLauncher.await(
        "a takeover run", () -> launchers.stream().mapToLong(l -> l.count(sync)).sum() == 1);
    Thread.sleep(HEARTBEAT.multipliedBy(4).toMillis());
    assertThat(launchers.stream().mapToLong(l -> l.count(sync)).sum())
        .as("taken over once, not once per worker")
        .isEqualTo(1);
    ScheduledRun takeover =
        others.stream().flatMap(s -> s.runsOf(sync).stream()).findFirst().orElseThrow();
    assertThat(takeover.trigger()).isEqualTo(Trigger.TAKEOVER);
  }

  @Test
  void aRunCancelledBecauseItsWorkerStopsHandsTheSyncOverAtOnce() throws Exception {
    Workers a = workers("a");
    String sync = freshSync();
    FakeLauncher runs = new FakeLauncher();
    Scheduler sa = scheduler(java.time.Clock.systemUTC(), a, runs);
    sa.configure(List.of(sync(sync, ScheduleSpec.MANUAL, false)), 2, Map.of());
    runs.hold(sync);
    sa.trigger(sync, Trigger.API);
    FakeLauncher.await("a's run", () -> runs.count(sync) == 1);

    a.stopping();
    assertThat(sa.shutdown(Duration.ofSeconds(10), "SIGTERM")).isTrue();
    LeaseGrant next =
        leases().acquire(sync, "b", "run-b", Duration.ofMinutes(5)).orElseThrow(); // no TTL wait
    assertThat(next.tookOverFrom()).contains("a");
  }

  @Test
  void aDueScheduleStartsOnOneWorkerOnlyWhateverEachWorkersPhase() {
    MutableClock clock = new MutableClock("2026-12-02T10:00:00Z");
    String cronSync = freshSync();
    String everySync = freshSync();
    List<FakeLauncher> launchers = new ArrayList<>();
    List<Scheduler> all = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      FakeLauncher runs = new FakeLauncher();
      Scheduler s = scheduler(clock, workers(name), runs);
      // each worker starts at another time, so each has its own phase on the every schedule
      s.configure(
          List.of(
              sync(cronSync, new ScheduleSpec.Cron("*/5 * * * *"), false),
              sync(everySync, every(Duration.ofMinutes(1)), false)),
          4,
          Map.of());
      clock.advance(Duration.ofSeconds(17));
      launchers.add(runs);
      all.add(s);
    }
    Instant end = Instant.parse("2026-12-02T10:30:00Z");
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofSeconds(5));
      for (Scheduler s : all) {
        s.tick();
      }
      // runs take real time; a fire while the sync runs would be coalesced into one more run
      FakeLauncher.await(
          "runs to end",
          () ->
              all.stream()
                  .flatMap(s -> List.of(cronSync, everySync).stream().map(s::view))
                  .allMatch(
                      v -> v.orElseThrow().current().isEmpty() && v.get().queued().isEmpty()));
    }
    FakeLauncher.await("runs to end", () -> all.stream().allMatch(s -> s.running() == 0));
    long cronRuns = launchers.stream().mapToLong(l -> l.count(cronSync)).sum();
    long everyRuns = launchers.stream().mapToLong(l -> l.count(everySync)).sum();
    assertThat(cronRuns).as("10:05, 10:10, ... 10:30: each once").isEqualTo(6);
    assertThat(everyRuns).as("once a minute, not once a minute per worker").isBetween(29L, 31L);
  }

  @Test
  void aDueScheduleGoesToAnIdleWorkerRatherThanQueueBehindABusyOne() {
    MutableClock clock = new MutableClock("2026-12-02T10:00:00Z");
    String busySync = freshSync();
    String due = freshSync();
    FakeLauncher busyRuns = new FakeLauncher();
    FakeLauncher idleRuns = new FakeLauncher();
    Scheduler busy = scheduler(clock, workers("busy"), busyRuns);
    Scheduler idle = scheduler(clock, workers("idle"), idleRuns);
    List<io.rowstream.config.SyncConfig> syncs =
        List.of(
            sync(busySync, ScheduleSpec.MANUAL, false),
            sync(due, new ScheduleSpec.Cron("*/5 * * * *"), false));
    busy.configure(syncs, 1, Map.of());
    idle.configure(syncs, 1, Map.of());
    busyRuns.hold(busySync);
    busy.trigger(busySync, Trigger.API);
    FakeLauncher.await("the busy worker's run", () -> busyRuns.count(busySync) == 1);

    clock.set("2026-12-02T10:05:00Z");
    busy.tick(); // its one slot is taken: it leaves the fire to the others for a while
    idle.tick();
    FakeLauncher.await("the idle worker's run", () -> idleRuns.count(due) == 1);
    clock.advance(Scheduler.BUSY_CLAIM_DELAY.plusSeconds(1));
    busy.tick();
    busyRuns.release(busySync);
    FakeLauncher.await("the busy worker's run to end", () -> busy.running() == 0);
    assertThat(busyRuns.count(due)).as("claimed by the idle worker").isZero();
    assertThat(busy.view(due).orElseThrow().queued()).isEmpty();
  }

  private static Instant expiresAt(String sync) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        var r =
            s.executeQuery(
                "select expires_at from rowstream.worker_lease where sync = '" + sync + "'")) {
      r.next();
      return r.getObject(1, java.time.OffsetDateTime.class).toInstant();
    }
  }

  private static <T> T awaitPresent(String what, java.util.function.Supplier<Optional<T>> get)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<T> got = get.get();
      if (got.isPresent()) {
        return got.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** Real leases whose renewals fail (as if the database could not be reached) once cut off. */
  private record CutOffRenewals(WorkerLeases real, AtomicBoolean cutOff) implements WorkerLeases {
    @Override
    public Optional<LeaseGrant> acquire(String sync, String worker, String runId, Duration ttl) {
      return real.acquire(sync, worker, runId, ttl);
    }

    @Override
    public boolean renew(LeaseGrant grant, Duration ttl) {
      if (cutOff.get()) {
        throw io.rowstream.core.RowstreamException.fatal("the state database does not answer");
      }
      return real.renew(grant, ttl);
    }

    @Override
    public void release(LeaseGrant grant) {
      real.release(grant);
    }

    @Override
    public void handOver(LeaseGrant grant) {
      real.handOver(grant);
    }

    @Override
    public boolean claim(String sync, String token, String worker) {
      return real.claim(sync, token, worker);
    }

    @Override
    public List<LeaseGrant> abandoned() {
      return real.abandoned();
    }

    @Override
    public void close() {}
  }
}
