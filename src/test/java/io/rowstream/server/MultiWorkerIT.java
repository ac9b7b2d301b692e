package io.rowstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.delivery.ProducerSettings;
import io.rowstream.testing.AnswerGate;
import io.rowstream.testing.FaultProxy;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code rowstream serve} processes on one config and one PostgreSQL state (embedded), a
 * PostgreSQL model and kinesalite: a worker killed mid-backfill loses nothing, another takes the
 * sync over once its lease expired, no sync ever runs on two workers at once, and a schedule fires
 * once, not once per worker.
 */
class MultiWorkerIT {
  /**
   * Two shards pace the backfill to 2,000 records/s; the proxy holds the answers after the first
   * 1,000 records until the worker is killed, so the kill comes mid-backfill however loaded the
   * machine is, and the takeover has little left to send.
   */
  private static final int ROWS = 8_000;

  private static final int SHARDS = 2;
  private static final int SENT_BEFORE_KILL = 1_000;
  private static final int SMALL_ROWS = 500;
  private static final Duration LEASE_TTL = Duration.ofSeconds(3);
  private static final Duration SMALL_EVERY = Duration.ofSeconds(10);
  private static final String TOKEN = "multi-worker-token-0123456789abcdef";
  private static final Pattern SERVING =
      Pattern.compile("http://127\\.0\\.0\\.1:(\\d+) \\(auth: \\w+\\) as worker (\\S+) ");

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static EmbeddedPostgres postgres;

  @TempDir Path dir;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Process> launched = new ArrayList<>();

  /** One serve process: its API and its worker id. */
  private record Worker(String name, Process process, Api api, String id, Path log) {}

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private AutoCloseable closeAfter;

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process p : launched) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor();
      }
    }
    if (closeAfter != null) {
      closeAfter.close();
    }
  }

  @Test
  void aWorkerKilledMidBackfillLosesNothingAndAnotherTakesTheSyncOverWithoutOverlap()
      throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    String big = "big_" + System.nanoTime();
    String small = "small_" + System.nanoTime();
    kinesis.createStream(big, SHARDS);
    kinesis.createStream(small, 1);
    model(
        "create table customers as select i as id, 'customer ' || i as name, i % 97 as score"
            + " from generate_series(1, "
            + ROWS
            + ") i",
        "create table small as select i as id, 'small ' || i as name from generate_series(1, "
            + SMALL_ROWS
            + ") i");
    FaultProxy proxy = FaultProxy.inFrontOf(kinesis.endpoint());
    closeAfter = proxy;
    AnswerGate gate = proxy.holdAnswersAfter(big, SENT_BEFORE_KILL);
    Path config = writeConfig(proxy.endpoint(), big, small);
    // the three JVMs start side by side
    List<Process> processes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      processes.add(launchWorker("worker" + i, config));
    }
    for (int i = 1; i <= 3; i++) {
      workers.add(awaitServing("worker" + i, processes.get(i - 1)));
    }
    Instant started = Instant.now();

    String runId =
        workers.get(0).api().post("/api/v1/syncs/big/runs", "{}").json().path("run_id").asText();
    // the run's live counts, cheap to poll; the gate keeps the run mid-backfill meanwhile
    workers
        .get(0)
        .api()
        .await(
            "/api/v1/runs/" + runId,
            j -> j.path("added").path("sent").asLong() >= SENT_BEFORE_KILL,
            180);
    assertThat(gate.awaitHolding(Duration.ofMinutes(3)))
        .as("the run waits for an answer (%d stored)", gate.stored())
        .isTrue();
    String holder = leaseHolder("big");
    Worker killed = workers.stream().filter(w -> w.id().equals(holder)).findFirst().orElseThrow();
    killed.process().destroyForcibly().waitFor(); // SIGKILL
    List<String> unanswered = gate.heldKeys();
    gate.open();
    int landedBeforeKill = kinesis.countUpTo(big, ROWS);
    assertThat(landedBeforeKill)
        .as("the backfill was not done when its worker was killed")
        .isBetween(SENT_BEFORE_KILL, ROWS - 1);

    await(
        "another worker to take the sync over and finish it",
        Duration.ofMinutes(4),
        () -> finishedTakeovers("big", killed.id()) >= 1);
    // two fires of the small sync at least, so one run per fire is told from one per worker
    await("the small sync to fire twice", Duration.ofMinutes(2), () -> smallFires(started) >= 2);

    List<LandedRecord> landed = kinesis.readAll(big);
    Map<String, Long> perKey =
        landed.stream()
            .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
    assertThat(perKey).as("every row of the model is on the stream").hasSize(ROWS);
    long inFlightBound = ProducerSettings.defaults().maxUnconfirmedRecords();
    assertThat((long) (landed.size() - ROWS))
        .as("duplicates are only records in flight at the kill (at most %d)", inFlightBound)
        .isBetween(0L, inFlightBound);
    assertThat(unanswered)
        .as("records stored while the killed worker waited for their answer")
        .isNotEmpty()
        .allSatisfy(
            k ->
                assertThat(perKey.get(k))
                    .as("a record whose answer never came is sent again: %s", k)
                    .isEqualTo(2L));

    List<Held> spans = spans("big");
    assertThat(spans)
        .as("held by the killed worker, then taken over")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(spans.get(0).worker()).isEqualTo(killed.id());
    assertThat(spans.get(0).runId()).isEqualTo(runId);
    assertThat(spans.get(1).tookOverFrom()).isEqualTo(killed.id());
    assertThat(spans.get(1).worker()).isNotEqualTo(killed.id());
    assertThat(spans.get(1).acquiredAt())
        .as("taken over only after the killed worker's lease expired")
        .isAfterOrEqualTo(spans.get(0).heldUntil());
    for (String sync : List.of("big", "small")) {
      assertNoOverlap(sync, spans(sync));
    }

    // the small sync runs every 10 s on whichever worker claims each fire: once, not three times
    Duration elapsed = Duration.between(started, Instant.now());
    long smallRuns = spans("small").stream().filter(h -> h.acquiredAt().isAfter(started)).count();
    long fires = elapsed.toMillis() / SMALL_EVERY.toMillis() + 2;
    assertThat(smallRuns)
        .as("runs of the small sync in the %ss all three workers were up", elapsed.toSeconds())
        .isBetween(1L, fires);
    assertThat(kinesis.readAll(small).stream().map(LandedRecord::partitionKey).distinct().count())
        .isEqualTo(SMALL_ROWS);

    Worker survivor = workers.stream().filter(w -> w != killed).findFirst().orElseThrow();
    String log =
        Files.readString(survivor.log()) + Files.readString(otherSurvivor(killed, survivor).log());
    assertThat(log).contains("took sync big over from worker " + killed.id());
    assertThat(survivor.api().get("/api/v1/runs/" + runId).json().path("status").asText())
        .as("the killed worker's run, as the history has it")
        .isEqualTo("interrupted");
  }

  private Worker otherSurvivor(Worker killed, Worker survivor) {
    return workers.stream().filter(w -> w != killed && w != survivor).findFirst().orElseThrow();
  }

  /** A span of time one worker held a sync, from the lease log. */
  private record Held(
      long generation,
      String worker,
      String runId,
      Instant acquiredAt,
      Instant heldUntil,
      boolean released,
      String tookOverFrom) {}

  private static List<Held> spans(String sync) throws SQLException {
    List<Held> spans = new ArrayList<>();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select generation, worker, run_id, acquired_at, held_until,"
                    + " released_at is not null, took_over_from"
                    + " from rowstream.worker_lease_log where sync = '"
                    + sync
                    + "' order by generation")) {
      while (r.next()) {
        spans.add(
            new Held(
                r.getLong(1),
                r.getString(2),
                r.getString(3),
                r.getObject(4, OffsetDateTime.class).toInstant(),
                r.getObject(5, OffsetDateTime.class).toInstant(),
                r.getBoolean(6),
                r.getString(7)));
      }
    }
    return spans;
  }

  private static void assertNoOverlap(String sync, List<Held> spans) {
    for (int i = 1; i < spans.size(); i++) {
      Held before = spans.get(i - 1);
      Held after = spans.get(i);
      assertThat(after.acquiredAt())
          .as(
              "sync %s: %s (generation %d) started after %s (generation %d) ended",
              sync, after.worker(), after.generation(), before.worker(), before.generation())
          .isAfterOrEqualTo(before.heldUntil());
    }
  }

  private static long finishedTakeovers(String sync, String from) {
    try {
      return spans(sync).stream()
          .filter(h -> from.equals(h.tookOverFrom()) && h.released())
          .count();
    } catch (SQLException e) {
      return 0;
    }
  }

  /**
   * Fires of the small sync since {@code since}: its runs, counting runs that started within half a
   * period of the one before as one fire.
   */
  private static long smallFires(Instant since) {
    try {
      List<Instant> starts =
          spans("small").stream().map(Held::acquiredAt).filter(a -> a.isAfter(since)).toList();
      long fires = 0;
      Instant last = null;
      for (Instant a : starts) {
        if (last == null || Duration.between(last, a).compareTo(SMALL_EVERY.dividedBy(2)) > 0) {
          fires++;
          last = a;
        }
      }
      return fires;
    } catch (SQLException e) {
      return 0;
    }
  }

  private static String leaseHolder(String sync) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select worker from rowstream.worker_lease where sync = '"
                    + sync
                    + "' and not released")) {
      assertThat(r.next()).as("someone holds sync %s", sync).isTrue();
      return r.getString(1);
    }
  }

  private static void model(String... statements) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create schema model");
      s.execute("set search_path = model");
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private Path writeConfig(String endpoint, String bigStream, String smallStream)
      throws IOException {
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    String yaml =
        """
        state:
          type: postgres
          url: %s
          user: postgres
          password: postgres
        sources:
          model:
            type: postgres
            url: %s
            user: postgres
            password: postgres
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials:
              access_key_id: test
              secret_access_key: test-secret-0123456789
        server:
          bind: 127.0.0.1
          port: 0
          api_token: %s
          max_concurrent_runs: 2
          lease_ttl: %ds
        syncs:
          big:
            source: model
            query: select * from model.customers
            primary_key: id
            destination: kinesis
            stream: %s
          small:
            source: model
            query: select * from model.small
            primary_key: id
            destination: kinesis
            stream: %s
            schedule: every %ds
        """
            .formatted(
                url,
                url,
                endpoint,
                TOKEN,
                LEASE_TTL.toSeconds(),
                bigStream,
                smallStream,
                SMALL_EVERY.toSeconds());
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private Process launchWorker(String name, Path config) throws IOException {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-Daws.cborEnabled=false",
                    "-cp",
                    jar + File.pathSeparator + libs + "/*",
                    "io.rowstream.cli.Main",
                    "serve",
                    "--config",
                    config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    launched.add(process);
    return process;
  }

  private Worker awaitServing(String name, Process process)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher m = SERVING.matcher(Files.readString(log));
      if (m.find()) {
        return new Worker(
            name, process, new Api(Integer.parseInt(m.group(1)), TOKEN), m.group(2), log);
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " did not start; its log:\n" + Files.readString(log));
  }

  private static void await(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + within.toSeconds() + "s waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
