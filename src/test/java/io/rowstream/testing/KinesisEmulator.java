package io.rowstream.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis emulator (kinesalite or kinesis-mock, installed from npm into {@code
 * peers/node_modules}) running as a child process on a free loopback port.
 *
 * <p>Starting one takes from a fraction of a second (kinesalite) to a second or more
 * (kinesis-mock), so test classes should share one instance, e.g. through {@link SharedEmulators}.
 * Each instance also registers a JVM shutdown hook so that the process dies with the JVM even if
 * {@link #close()} is never reached.
 *
 * <p>Loading this class sets the JVM-wide system property {@code aws.cborEnabled=false}: the SDK
 * cannot parse kinesalite's CBOR responses, the setting is only read from system properties (not
 * the environment), and it must be in place before any Kinesis client in the JVM is built,
 * including clients built by code under test.
 */
public final class KinesisEmulator implements AutoCloseable {

  /** The emulators a test can start. */
  public enum Kind {
    KINESALITE("kinesalite", Duration.ofSeconds(30)),
    /** kinesis-mock compiled to JavaScript, published on npm as {@code kinesis-local}. */
    KINESIS_MOCK("kinesis-mock", Duration.ofSeconds(90));

    private final String displayName;
    // kinesis-mock loads ~9 MB of JavaScript before listening; on a busy CI box that can take a
    // while.
    private final Duration startupTimeout;

    Kind(String displayName, Duration startupTimeout) {
      this.displayName = displayName;
      this.startupTimeout = startupTimeout;
    }

    @Override
    public String toString() {
      return displayName;
    }
  }

  static {
    System.setProperty("aws.cborEnabled", "false");
  }

  // Neither emulator checks signatures; any static pair works. A 12-digit key id would make
  // kinesis-mock
  // switch accounts, so this one deliberately is not.
  private static final AwsBasicCredentials CREDENTIALS =
      AwsBasicCredentials.create("rowstream-test", "secret");
  private static final int START_ATTEMPTS = 3;
  private static final int SHARD_LIMIT = 10_000;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration STREAM_ACTIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READ_SHARD_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  private static final int LOG_TAIL_BYTES = 4096;

  private final Kind kind;
  private final Process process;
  private final String endpoint;
  private final Path logFile;
  private final Thread shutdownHook;
  private KinesisClient client;
  private boolean closed;

  private KinesisEmulator(Kind kind, Process process, int port, Path logFile) {
    this.kind = kind;
    this.process = process;
    this.endpoint = "http://127.0.0.1:" + port;
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> killProcessTree(process), "stop-" + kind + "-" + port);
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmShuttingDown) {
      killProcessTree(process);
      throw jvmShuttingDown;
    }
  }

  /** Starts kinesalite and waits until it answers ListStreams. */
  public static KinesisEmulator kinesalite() {
    return start(Kind.KINESALITE);
  }

  /** Starts kinesis-mock and waits until it answers ListStreams. */
  public static KinesisEmulator kinesisMock() {
    return start(Kind.KINESIS_MOCK);
  }

  /**
   * Starts an emulator of the given kind and waits until it answers ListStreams.
   *
   * @throws IllegalStateException if the package is not installed, or the emulator exits or stays
   *     silent; the message carries the tail of its log
   */
  public static KinesisEmulator start(Kind kind) {
    PortTakenException portTaken = null;
    // The free port is only known free when probed; another process may grab it before the emulator
    // binds.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      KinesisEmulator emulator = launch(kind);
      try {
        emulator.awaitReady();
        return emulator;
      } catch (PortTakenException e) {
        emulator.close();
        portTaken = e;
      } catch (RuntimeException e) {
        emulator.close();
        throw e;
      }
    }
    throw new IllegalStateException(
        kind + " could not bind a port in " + START_ATTEMPTS + " attempts", portTaken);
  }

  /** The base URL to point an SDK client at, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return endpoint;
  }

  /** {@code kinesalite} or {@code kinesis-mock}. */
  public String name() {
    return kind.toString();
  }

  public Kind kind() {
    return kind;
  }

  /** The file the emulator's stdout and stderr go to, under {@code target/peers-logs}. */
  public Path logFile() {
    return logFile;
  }

  /**
   * A client for this emulator, built on first use and closed by {@link #close()}; callers must not
   * close it. It uses the SDK's default retries, which matter little as neither emulator throttles.
   */
  public synchronized KinesisClient client() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    if (client == null) {
      client = newClient(Duration.ofSeconds(60), false);
    }
    return client;
  }

  /** Creates a stream in provisioned mode and waits until it is ACTIVE. */
  public void createStream(String stream, int shards) {
    KinesisClient kinesis = client();
    kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
    Instant deadline = Instant.now().plus(STREAM_ACTIVE_TIMEOUT);
    StreamStatus status;
    while ((status =
            kinesis
                .describeStreamSummary(b -> b.streamName(stream))
                .streamDescriptionSummary()
                .streamStatus())
        != StreamStatus.ACTIVE) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "stream "
                + stream
                + " still "
                + status
                + " after "
                + STREAM_ACTIVE_TIMEOUT
                + " on "
                + this);
      }
      sleep(POLL_INTERVAL);
    }
  }

  /**
   * The hash key ranges of the stream's open shards, i.e. the shards a record put now can land on.
   * Closed shards left behind by resharding are left out so that ranges never overlap.
   */
  public List<ShardRange> shards(String stream) {
    return listShards(stream).stream()
        .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
        .map(
            shard ->
                new ShardRange(
                    shard.shardId(),
                    new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey())))
        .toList();
  }

  /**
   * Every record in the stream, read from TRIM_HORIZON on every shard (closed ones too). Records
   * are grouped by shard, in the order ListShards returns the shards, and keep their order within a
   * shard.
   */
  public List<LandedRecord> readAll(String stream) {
    List<LandedRecord> landed = new ArrayList<>();
    for (Shard shard : listShards(stream)) {
      readShard(stream, shard.shardId(), landed);
    }
    return landed;
  }

  /**
   * How many records the stream holds, counting no further than {@code atMost}: cheap enough to
   * poll while a run writes to the stream, unlike {@link #readAll}.
   */
  public int countUpTo(String stream, int atMost) {
    KinesisClient kinesis = client();
    int count = 0;
    for (Shard shard : listShards(stream)) {
      String iterator =
          kinesis
              .getShardIterator(
                  b ->
                      b.streamName(stream)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      while (iterator != null && count < atMost) {
        String current = iterator;
        int limit = Math.min(10_000, atMost - count);
        GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(limit));
        count += page.records().size();
        if (page.records().isEmpty()) {
          break;
        }
        iterator = page.nextShardIterator();
      }
      if (count >= atMost) {
        break;
      }
    }
    return count;
  }

  /**
   * The hash key Kinesis derives from a partition key: its UTF-8 MD5 as an unsigned 128-bit
   * integer.
   */
  public static BigInteger hashKey(String partitionKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide MD5", e);
    }
  }

  /**
   * The id of the shard a record with this partition key (and no explicit hash key) lands on.
   *
   * @param shards non-overlapping ranges, as {@link #shards(String)} returns them
   * @throws IllegalArgumentException if not exactly one range holds the key's hash
   */
  public static String expectedShard(List<ShardRange> shards, String partitionKey) {
    BigInteger hash = hashKey(partitionKey);
    List<String> owners =
        shards.stream().filter(range -> range.contains(hash)).map(ShardRange::shardId).toList();
    if (owners.size() != 1) {
      throw new IllegalArgumentException(
          "hash key "
              + hash
              + " of partition key '"
              + partitionKey
              + "' falls in "
              + owners.size()
              + " of the shards "
              + shards
              + ", expected exactly one");
    }
    return owners.get(0);
  }

  /**
   * Closes the client and stops the emulator and any processes it started. Safe to call more than
   * once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      killProcessTree(process);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to; nothing left to unregister
      }
    }
  }

  @Override
  public String toString() {
    return kind + " at " + endpoint;
  }

  private static KinesisEmulator launch(Kind kind) {
    Path peers = peersDirectory();
    Path logDir = logDirectory();
    String node = System.getProperty("rowstream.node", "node");
    int[] ports = freeLoopbackPorts(kind == Kind.KINESIS_MOCK ? 2 : 1);
    int port = ports[0];
    ProcessBuilder builder;
    if (kind == Kind.KINESALITE) {
      Path packageDir = requirePackage(peers, "kinesalite", "cli.js");
      // State changes default to 500 ms each; tests only wait on them, so make them immediate. The
      // default
      // limit of 10 shards across all streams would stop a shared instance after a handful of
      // tests.
      builder =
          new ProcessBuilder(
                  node,
                  packageDir.resolve("cli.js").toString(),
                  "--port",
                  Integer.toString(port),
                  "--createStreamMs",
                  "0",
                  "--deleteStreamMs",
                  "0",
                  "--updateStreamMs",
                  "0",
                  "--shardLimit",
                  Integer.toString(SHARD_LIMIT))
              .directory(packageDir.toFile());
    } else {
      Path packageDir = requirePackage(peers, "kinesis-local", "main.js");
      // main.js reads server.json (its TLS certificate) from the working directory.
      builder = new ProcessBuilder(node, "main.js").directory(packageDir.toFile());
      Map<String, String> env = builder.environment();
      env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
      // The TLS listener cannot be turned off; give it a free port so parallel runs do not collide
      // on 4567.
      env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(ports[1]));
      for (String setting :
          List.of(
              "CREATE_STREAM_DURATION",
              "DELETE_STREAM_DURATION",
              "UPDATE_SHARD_COUNT_DURATION",
              "SPLIT_SHARD_DURATION",
              "MERGE_SHARDS_DURATION")) {
        env.put(setting, "0ms");
      }
      // Defaults are 50 shards and 10 on-demand streams per account, too few for a shared instance.
      env.put("SHARD_LIMIT", Integer.toString(SHARD_LIMIT));
      env.put("ON_DEMAND_STREAM_COUNT_LIMIT", Integer.toString(SHARD_LIMIT));
      // WARN still logs rejected requests; INFO and below log per request and slow it down further.
      env.put("LOG_LEVEL", "WARN");
      // Pin what a developer's shell might otherwise leak in (AWS_REGION, pre-created streams,
      // stale data).
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCOUNT_ID", "000000000000");
      env.put("SHOULD_PERSIST_DATA", "false");
      env.put("LOAD_DATA_IF_EXISTS", "false");
      env.remove("INITIALIZE_STREAMS");
    }
    Path logFile = logDir.resolve(kind + "-" + port + ".log");
    builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
    try {
      return new KinesisEmulator(kind, builder.start(), port, logFile);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not run '"
              + node
              + "' to start "
              + kind
              + " (is Node.js on the PATH? set -Drowstream.node to override)",
          e);
    }
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(kind.startupTimeout);
    // A short, non-retrying client so that each probe fails fast while the port is still closed.
    try (KinesisClient probe = newClient(Duration.ofSeconds(2), true)) {
      SdkException lastFailure = null;
      while (true) {
        if (!process.isAlive()) {
          String tail = logTail();
          String message = kind + " exited with code " + process.exitValue() + " before answering";
          if (tail.contains("EADDRINUSE")) {
            throw new PortTakenException(message, tail);
          }
          throw new IllegalStateException(message + "; tail of " + logFile + ":\n" + tail);
        }
        try {
          probe.listStreams();
          return;
        } catch (SdkException e) {
          lastFailure = e;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              kind
                  + " did not answer ListStreams at "
                  + endpoint
                  + " within "
                  + kind.startupTimeout
                  + "; tail of "
                  + logFile
                  + ":\n"
                  + logTail(),
              lastFailure);
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  private KinesisClient newClient(Duration attemptTimeout, boolean failFast) {
    System.setProperty("aws.cborEnabled", "false");
    return KinesisClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS))
        .endpointOverride(URI.create(endpoint))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(
            o -> {
              o.apiCallAttemptTimeout(attemptTimeout);
              if (failFast) {
                o.retryStrategy(AwsRetryStrategy.doNotRetry());
              }
            })
        .build();
  }

  private List<Shard> listShards(String stream) {
    KinesisClient kinesis = client();
    try {
      List<Shard> shards = new ArrayList<>();
      ListShardsResponse page = kinesis.listShards(b -> b.streamName(stream));
      shards.addAll(page.shards());
      // Pages after the first must carry the token alone: the API rejects StreamName next to
      // NextToken.
      while (page.nextToken() != null) {
        String token = page.nextToken();
        page = kinesis.listShards(b -> b.nextToken(token));
        shards.addAll(page.shards());
      }
      return shards;
    } catch (KinesisException e) {
      if (!isUnknownOperation(e)) {
        throw e;
      }
      return describeShards(stream);
    }
  }

  private List<Shard> describeShards(String stream) {
    KinesisClient kinesis = client();
    List<Shard> shards = new ArrayList<>();
    DescribeStreamResponse page = kinesis.describeStream(b -> b.streamName(stream));
    shards.addAll(page.streamDescription().shards());
    while (Boolean.TRUE.equals(page.streamDescription().hasMoreShards()) && !shards.isEmpty()) {
      String last = shards.get(shards.size() - 1).shardId();
      page = kinesis.describeStream(b -> b.streamName(stream).exclusiveStartShardId(last));
      shards.addAll(page.streamDescription().shards());
    }
    return shards;
  }

  private static boolean isUnknownOperation(KinesisException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 404 || (code != null && code.contains("UnknownOperation"));
  }

  private void readShard(String stream, String shardId, List<LandedRecord> into) {
    KinesisClient kinesis = client();
    String iterator =
        kinesis
            .getShardIterator(
                b ->
                    b.streamName(stream)
                        .shardId(shardId)
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
            .shardIterator();
    Instant deadline = Instant.now().plus(READ_SHARD_TIMEOUT);
    // A closed shard ends with a null iterator; an open one is drained once a read comes back empty
    // and
    // caught up (AWS may return empty pages while still behind, so emptiness alone is not enough).
    while (iterator != null) {
      String current = iterator;
      GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
      page.records()
          .forEach(
              r ->
                  into.add(
                      new LandedRecord(
                          shardId,
                          r.partitionKey(),
                          null,
                          r.sequenceNumber(),
                          r.data().asUtf8String())));
      Long behind = page.millisBehindLatest();
      if (page.records().isEmpty() && (behind == null || behind == 0)) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "shard "
                + shardId
                + " of "
                + stream
                + " not drained within "
                + READ_SHARD_TIMEOUT
                + " on "
                + this);
      }
      iterator = page.nextShardIterator();
    }
  }

  private String logTail() {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long from = Math.max(0, file.length() - LOG_TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the process and its descendants: politely first, then forcibly. */
  private static void killProcessTree(Process process) {
    // Collect descendants before the parent dies; orphans are re-parented and can no longer be
    // found.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    if (!awaitExit(tree, STOP_GRACE)) {
      tree.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(tree, STOP_GRACE)) {
        System.err.println(
            "could not stop emulator processes "
                + tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
      }
    }
  }

  private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle handle : handles) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        return !handle.isAlive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !handle.isAlive();
      }
    }
    return true;
  }

  private static Path peersDirectory() {
    // Failsafe passes -Drowstream.peers; the fallback serves runs from an IDE in the project
    // directory.
    String configured = System.getProperty("rowstream.peers");
    return configured != null
        ? Path.of(configured)
        : Path.of("peers", "node_modules").toAbsolutePath();
  }

  private static Path requirePackage(Path peers, String packageName, String entryPoint) {
    Path packageDir = peers.resolve(packageName);
    if (!Files.isRegularFile(packageDir.resolve(entryPoint))) {
      throw new IllegalStateException(
          packageName
              + " is not installed under "
              + peers
              + "; run 'npm ci' in peers/ (mvn does so unless -DskipPeers=true)");
    }
    return packageDir;
  }

  private static Path logDirectory() {
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "peers-logs").toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
  }

  private static int[] freeLoopbackPorts(int count) {
    // Hold every socket until all are chosen so the ports differ from each other.
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot meaningfully fail
        }
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the emulator", e);
    }
  }

  /**
   * The emulator died because its port was taken between probing and binding; worth another try.
   */
  private static final class PortTakenException extends IllegalStateException {
    PortTakenException(String message, String logTail) {
      super(message + ":\n" + logTail);
    }
  }
}
