package io.rowstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.state.WorkerLeases.LeaseGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link WorkerLeases}, for every implementation: each worker is its own instance
 * (its own connection), as each {@code serve} process is.
 */
public abstract class WorkerLeasesContract {
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Duration SHORT = Duration.ofSeconds(1);
  private static final AtomicInteger SYNCS = new AtomicInteger();

  private final List<WorkerLeases> opened = new ArrayList<>();

  /** A new worker's view of the one shared state. */
  protected abstract WorkerLeases openWorker();

  private WorkerLeases worker() {
    WorkerLeases leases = openWorker();
    opened.add(leases);
    return leases;
  }

  /** A sync no other test used: the state is shared by the tests of a class. */
  private static String freshSync() {
    return "sync-" + SYNCS.incrementAndGet() + "-" + System.nanoTime();
  }

  @AfterEach
  void closeWorkers() {
    opened.forEach(WorkerLeases::close);
  }

  @Test
  void twoWorkersNeverBothHoldASync() {
    WorkerLeases a = worker();
    WorkerLeases b = worker();
    String sync = freshSync();

    LeaseGrant held = a.acquire(sync, "a", "run-1", LONG).orElseThrow();
    assertThat(held.generation()).isEqualTo(1);
    assertThat(held.tookOverFrom()).isEmpty();
    assertThat(b.acquire(sync, "b", "run-2", LONG)).as("held by a").isEmpty();
    assertThat(a.acquire(sync, "a", "run-3", LONG)).as("not even a second run of a").isEmpty();

    a.release(held);
    LeaseGrant next = b.acquire(sync, "b", "run-2", LONG).orElseThrow();
    assertThat(next.generation()).isEqualTo(2);
    assertThat(next.tookOverFrom()).as("released, not taken over").isEmpty();
    assertThat(a.renew(held, LONG)).as("a released it").isFalse();
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsFormerHolderCannotRenewIt() {
    WorkerLeases a = worker();
    WorkerLeases b = worker();
    String sync = freshSync();
    LeaseGrant killed = a.acquire(sync, "a", "run-1", SHORT).orElseThrow();

    LeaseGrant taken = await("the lease to expire", () -> b.acquire(sync, "b", "run-2", LONG));
    assertThat(taken.tookOverFrom()).contains("a");
    assertThat(taken.generation()).isEqualTo(killed.generation() + 1);
    assertThat(a.renew(killed, LONG)).as("taken over: lost for good").isFalse();
    a.release(killed);
    assertThat(worker().acquire(sync, "c", "run-3", LONG))
        .as("a's late release does not free b's lease")
        .isEmpty();
  }

  @Test
  void heartbeatsKeepALeaseFarPastItsTtl() throws InterruptedException {
    WorkerLeases a = worker();
    WorkerLeases b = worker();
    String sync = freshSync();
    // renewals every tenth of the TTL: a thread starved for most of a TTL still renews in time
    Duration ttl = Duration.ofSeconds(3);
    LeaseGrant held = a.acquire(sync, "a", "run-1", ttl).orElseThrow();

    long until = System.nanoTime() + ttl.multipliedBy(3).toNanos();
    while (System.nanoTime() < until) {
      assertThat(a.renew(held, ttl)).as("renewed within its TTL").isTrue();
      assertThat(b.acquire(sync, "b", "run-2", LONG)).as("a renews it").isEmpty();
      Thread.sleep(ttl.toMillis() / 10);
    }
    a.release(held);
    assertThat(b.acquire(sync, "b", "run-2", LONG)).isPresent();
  }

  @Test
  void anExpiredUnreleasedLeaseIsAbandonedAndAReleasedOneIsNot() {
    WorkerLeases a = worker();
    String killed = freshSync();
    String finished = freshSync();
    String handedOver = freshSync();
    LeaseGrant dead = a.acquire(killed, "a", "run-1", SHORT).orElseThrow();
    a.release(a.acquire(finished, "a", "run-2", SHORT).orElseThrow());
    a.handOver(a.acquire(handedOver, "a", "run-3", LONG).orElseThrow());

    List<LeaseGrant> abandoned =
        await(
            "the lease to expire",
            () -> {
              List<LeaseGrant> found =
                  a.abandoned().stream()
                      .filter(g -> List.of(killed, finished, handedOver).contains(g.sync()))
                      .toList();
              return found.size() == 2 ? Optional.of(found) : Optional.empty();
            });
    assertThat(abandoned)
        .extracting(LeaseGrant::sync)
        .containsExactlyInAnyOrder(killed, handedOver);
    LeaseGrant found = abandoned.stream().filter(g -> g.sync().equals(killed)).findFirst().get();
    assertThat(found.worker()).isEqualTo("a");
    assertThat(found.runId()).isEqualTo("run-1");
    assertThat(found.takeoverToken()).isEqualTo(dead.takeoverToken());
  }

  @Test
  void aHandedOverLeaseIsTakenAtOnce() {
    WorkerLeases a = worker();
    WorkerLeases b = worker();
    String sync = freshSync();
    a.handOver(a.acquire(sync, "a", "run-1", LONG).orElseThrow());
    assertThat(b.acquire(sync, "b", "run-2", LONG).orElseThrow().tookOverFrom()).contains("a");
  }

  @Test
  void manyWorkersClaimingTheSameFiresEachWinOnce() throws Exception {
    int workers = 8;
    int fires = 40;
    String sync = freshSync();
    List<WorkerLeases> all = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      all.add(worker());
    }
    Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
    runAtOnce(
        workers,
        i -> {
          for (int f = 0; f < fires; f++) {
            String token = "schedule:2026-12-02T10:" + f + ":00Z";
            if (all.get(i).claim(sync, token, "worker-" + i)) {
              winners.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            }
          }
        });
    assertThat(winners).hasSize(fires);
    assertThat(winners.values()).allMatch(n -> n.get() == 1);
    assertThat(all.get(0).claim(freshSync(), "schedule:2026-12-02T10:00:00Z", "worker-0"))
        .as("a token is claimed per sync")
        .isTrue();
  }

  @Test
  void manyWorkersTakingOneSyncAtOnceGiveItToOne() throws Exception {
    int workers = 8;
    List<WorkerLeases> all = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      all.add(worker());
    }
    for (int round = 0; round < 5; round++) {
      String sync = freshSync();
      AtomicInteger holders = new AtomicInteger();
      runAtOnce(
          workers,
          i -> {
            if (all.get(i).acquire(sync, "worker-" + i, "run", LONG).isPresent()) {
              holders.incrementAndGet();
            }
          });
      assertThat(holders).as("round %d", round).hasValue(1);
    }
  }

  @Test
  void anExpiredLeaseIsTakenOverByOneOfManyWorkers() throws Exception {
    int workers = 6;
    List<WorkerLeases> all = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      all.add(worker());
    }
    String sync = freshSync();
    all.get(0).acquire(sync, "killed", "run-0", SHORT).orElseThrow();
    await(
        "the lease to expire",
        () ->
            all.get(0).abandoned().stream().anyMatch(g -> g.sync().equals(sync))
                ? Optional.of(true)
                : Optional.empty());
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger claimed = new AtomicInteger();
    runAtOnce(
        workers,
        i -> {
          if (all.get(i).claim(sync, "takeover:1", "worker-" + i)) {
            claimed.incrementAndGet();
          }
          if (all.get(i).acquire(sync, "worker-" + i, "run", LONG).isPresent()) {
            holders.incrementAndGet();
          }
        });
    assertThat(claimed).hasValue(1);
    assertThat(holders).hasValue(1);
  }

  private interface Work {
    void run(int worker) throws Exception;
  }

  /** Runs {@code work} on {@code n} threads released at the same instant; rethrows a failure. */
  private static void runAtOnce(int n, Work work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int worker = i;
        done.add(
            threads.submit(
                () -> {
                  go.await();
                  work.run(worker);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static <T> T await(String what, Supplier<Optional<T>> attempt) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<T> got = attempt.get();
      if (got.isPresent()) {
        return got.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
