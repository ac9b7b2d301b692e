package io.rowstream.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting HTTP server on loopback that speaks the Kinesis JSON protocol (CBOR off). Point
 * an SDK client's endpoint at {@link #endpoint()}.
 *
 * <p>In front of an emulator ({@link #inFrontOf}) it forwards every call unchanged, except that for
 * PutRecords it can answer per-record {@code ProvisionedThroughputExceededException} from per-shard
 * token buckets and {@code InternalFailure} for a fraction of the records (forwarding only the
 * admitted records and merging the answers back by index), and fail whole calls: HTTP 500, slow
 * answers, no answer (timeout), a connection closed mid-request, or a fixed error (fatal codes). It
 * can also refuse ListShards with AccessDeniedException.
 *
 * <p>As a {@link #sink} it has no backend: it simulates a stream of N shards of any name, answers
 * PutRecords with shard ids and sequence numbers (throttling per shard when asked) and ListShards,
 * and keeps nothing but counts, for benchmarks beyond an emulator's speed.
 *
 * <p>Faults are drawn from one seeded {@link Random}, so a test sees the same faults for the same
 * sequence of calls; concurrent calls may still interleave differently.
 */
public final class FaultProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "Kinesis_20131202.";
  private static final BigInteger HASH_SPACE = BigInteger.ONE.shiftLeft(128);
  private static final Set<String> UNFORWARDED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  /** Which faults to inject; rates are probabilities per call (whole-call faults) or per record. */
  public record Faults(
      long seed,
      double internalFailureRate,
      double http500Rate,
      double slowRate,
      Duration slowDelay,
      double timeoutRate,
      Duration timeoutHold,
      double dropRate,
      boolean storeBeforeHangup,
      boolean denyListShards,
      String failEveryPutWith,
      int failStatus) {
    public static Faults none() {
      return new Faults(42, 0, 0, 0, Duration.ZERO, 0, Duration.ZERO, 0, false, false, null, 0);
    }

    public Faults internalFailures(double rate) {
      return new Faults(
          seed,
          rate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    public Faults http500s(double rate) {
      return new Faults(
          seed,
          internalFailureRate,
          rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    public Faults slow(double rate, Duration delay) {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          rate,
          delay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    /** No answer for {@code hold}, then the connection is closed. */
    public Faults timeouts(double rate, Duration hold) {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          rate,
          hold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    /** The connection is reset without an answer. */
    public Faults drops(double rate) {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          rate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    /**
     * Timeouts and drops happen after the backend stored the records, so the client's retry
     * duplicates them.
     */
    public Faults afterStore() {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          true,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }

    public Faults denyingListShards() {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          true,
          failEveryPutWith,
          failStatus);
    }

    /** Every PutRecords fails with this error code and status, as a KMS or IAM problem would. */
    public Faults failingEveryPut(String code, int status) {
      return new Faults(
          seed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          code,
          status);
    }

    public Faults seeded(long newSeed) {
      return new Faults(
          newSeed,
          internalFailureRate,
          http500Rate,
          slowRate,
          slowDelay,
          timeoutRate,
          timeoutHold,
          dropRate,
          storeBeforeHangup,
          denyListShards,
          failEveryPutWith,
          failStatus);
    }
  }

  /** Per-shard write limits to enforce, with a burst of {@code burst} worth of the rate. */
  public record Throttle(
      List<ShardRange> shards, double recordsPerSecond, double bytesPerSecond, Duration burst) {
    public Throttle {
      shards = List.copyOf(shards);
      requireNonNull(burst, "burst is null");
    }

    /** Kinesis' limits: 1,000 records/s and 1 MiB/s per shard, with one second of burst. */
    public static Throttle kinesisLimits(List<ShardRange> shards) {
      return new Throttle(shards, 1_000, 1024 * 1024, Duration.ofSeconds(1));
    }
  }

  /** What the proxy has seen since it started (or since {@link #resetCounts()}). */
  public record Counts(
      long putCalls,
      long listShardsCalls,
      long entries,
      long stored,
      long throttled,
      long internalFailures,
      long http500s,
      long slow,
      long timeouts,
      long drops,
      long storedBytes) {}

  private final ServerSocket server;
  private final URI backend;
  private final HttpClient http;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Thread acceptor;
  private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
  private final List<String> unansweredStored = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong(49_000_000_000L);
  private final AtomicLong putCalls = new AtomicLong();
  private final AtomicLong listShardsCalls = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong storedBytes = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong internalFailures = new AtomicLong();
  private final AtomicLong http500s = new AtomicLong();
  private final AtomicLong slow = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicInteger activePuts = new AtomicInteger();
  private final AtomicInteger maxActivePuts = new AtomicInteger();
  private volatile Faults faults = Faults.none();
  private Random random = new Random(42);
  private volatile Buckets buckets;
  private volatile List<ShardRange> sinkShards;
  private volatile boolean closed;
  private volatile String refusedKey;
  private volatile AnswerGate gate;
  private final AtomicLong refusedRequests = new AtomicLong();

  private FaultProxy(URI backend, List<ShardRange> sinkShards) throws IOException {
    this.backend = backend;
    this.sinkShards = sinkShards;
    this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    this.http =
        backend == null
            ? null
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(connections)
                .build();
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** A proxy that forwards to an emulator, e.g. {@code kinesalite.endpoint()}. */
  public static FaultProxy inFrontOf(String backendEndpoint) {
    try {
      return new FaultProxy(URI.create(backendEndpoint), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A backend-less stream of {@code shards} even shards, each throttled to Kinesis' limits. */
  public static FaultProxy sink(int shards) {
    try {
      FaultProxy proxy = new FaultProxy(null, evenShards(shards));
      proxy.throttle(Throttle.kinesisLimits(proxy.sinkShards));
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Shards {@code shardId-000000000000...} splitting the hash-key space evenly, as CreateStream
   * does.
   */
  public static List<ShardRange> evenShards(int count) {
    List<ShardRange> shards = new ArrayList<>();
    BigInteger width = HASH_SPACE.divide(BigInteger.valueOf(count));
    for (int i = 0; i < count; i++) {
      BigInteger start = width.multiply(BigInteger.valueOf(i));
      BigInteger end =
          i == count - 1
              ? HASH_SPACE.subtract(BigInteger.ONE)
              : start.add(width).subtract(BigInteger.ONE);
      shards.add(new ShardRange(String.format(Locale.ROOT, "shardId-%012d", i), start, end));
    }
    return shards;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public synchronized void faults(Faults newFaults) {
    this.faults = requireNonNull(newFaults, "faults is null");
    this.random = new Random(newFaults.seed());
  }

  /** Enforces per-shard limits on PutRecords; {@code null} turns throttling off. */
  public void throttle(Throttle throttle) {
    this.buckets = throttle == null ? null : new Buckets(throttle);
  }

  /**
   * Refuses every PutRecords request that holds a record with this partition key, whole, with HTTP
   * 400 {@code ValidationException}, as Kinesis refuses a request with one invalid record; {@code
   * null} stops refusing.
   */
  public void refuseRequestsHolding(String partitionKey) {
    this.refusedKey = partitionKey;
  }

  /**
   * Holds the answers of PutRecords calls once {@code records} records are stored, until the
   * returned gate releases them; the records of a held call are stored all the same.
   */
  public AnswerGate holdAnswersAfter(long records) {
    return holdAnswersAfter(null, records);
  }

  /** As {@link #holdAnswersAfter(long)}, counting and holding only the calls to {@code stream}. */
  public AnswerGate holdAnswersAfter(String stream, long records) {
    AnswerGate g = new AnswerGate(stream, records);
    gate = g;
    return g;
  }

  /** PutRecords requests refused by {@link #refuseRequestsHolding}. */
  public long refusedRequests() {
    return refusedRequests.get();
  }

  public Counts counts() {
    return new Counts(
        putCalls.get(),
        listShardsCalls.get(),
        entries.get(),
        stored.get(),
        throttled.get(),
        internalFailures.get(),
        http500s.get(),
        slow.get(),
        timeouts.get(),
        drops.get(),
        storedBytes.get());
  }

  public void resetCounts() {
    for (AtomicLong n :
        List.of(
            putCalls,
            listShardsCalls,
            entries,
            stored,
            storedBytes,
            throttled,
            internalFailures,
            http500s,
            slow,
            timeouts,
            drops)) {
      n.set(0);
    }
    unansweredStored.clear();
    maxActivePuts.set(0);
  }

  /** The most PutRecords requests the proxy was answering at once (since start or reset). */
  public int maxConcurrentPuts() {
    return maxActivePuts.get();
  }

  /**
   * Partition keys of records the backend stored in calls whose answer never reached the client
   * (timeouts and drops after store), once per such call: exactly the duplicates a correct producer
   * may cause.
   */
  public List<String> storedButUnanswered() {
    synchronized (unansweredStored) {
      return List.copyOf(unansweredStored);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    synchronized (open) {
      for (Socket s : open) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    connections.shutdownNow();
  }

  // --- HTTP ---

  private record Request(String target, Map<String, String> headers, byte[] body) {}

  private record Response(int status, byte[] body, String requestId) {}

  /** Thrown to end a connection without an answer. */
  private static final class Hangup extends RuntimeException {
    Hangup() {
      super(null, null, false, false);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        open.add(socket);
        connections.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      } catch (RuntimeException e) {
        return; // executor shut down
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        Request request = read(in);
        if (request == null) {
          return;
        }
        Response response;
        try {
          response = handle(request);
        } catch (Hangup h) {
          socket.setSoLinger(true, 0); // RST: the client sees the connection reset
          return;
        }
        write(out, response);
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      open.remove(socket);
    }
  }

  private static Request read(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      return null;
    }
    String target = headers.getOrDefault("x-amz-target", "");
    return new Request(
        target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target,
        headers,
        body);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  private static void write(OutputStream out, Response r) throws IOException {
    String head =
        "HTTP/1.1 "
            + r.status()
            + (r.status() == 200 ? " OK" : " Error")
            + "\r\n"
            + "Content-Type: application/x-amz-json-1.1\r\n"
            + "x-amzn-RequestId: "
            + r.requestId()
            + "\r\n"
            + "Content-Length: "
            + r.body().length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(r.body());
    out.flush();
  }

  private String newRequestId() {
    return "fault-proxy-" + requestIds.incrementAndGet();
  }

  private Response error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode().put("__type", code).put("message", message);
    return new Response(status, bytes(body), newRequestId());
  }

  private Response handle(Request request) throws IOException {
    if (request.target().equals("PutRecords")) {
      maxActivePuts.accumulateAndGet(activePuts.incrementAndGet(), Math::max);
      try {
        return putRecords(request);
      } finally {
        activePuts.decrementAndGet();
      }
    }
    if (request.target().equals("ListShards")) {
      listShardsCalls.incrementAndGet();
      if (faults.denyListShards()) {
        return error(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::000000000000:user/test is not authorized to "
                + "perform: kinesis:ListShards (injected)");
      }
      if (backend == null) {
        return sinkListShards();
      }
    }
    if (backend == null) {
      return error(
          400, "UnknownOperationException", "the sink answers only PutRecords and ListShards");
    }
    return forward(request, request.body());
  }

  private Response forward(Request request, byte[] body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(backend)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (!UNFORWARDED_HEADERS.contains(name)) {
                b.header(name, value);
              }
            });
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          r.statusCode(),
          r.body(),
          r.headers().firstValue("x-amzn-RequestId").orElse(newRequestId()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Hangup();
    }
  }

  private Response sinkListShards() {
    ArrayNode shards = JSON.createArrayNode();
    for (ShardRange s : sinkShards) {
      ObjectNode shard = shards.addObject().put("ShardId", s.shardId());
      shard
          .putObject("HashKeyRange")
          .put("StartingHashKey", s.start().toString())
          .put("EndingHashKey", s.end().toString());
      shard.putObject("SequenceNumberRange").put("StartingSequenceNumber", "49000000000000000000");
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("Shards", shards);
    return new Response(200, bytes(body), newRequestId());
  }

  // --- PutRecords ---

  private enum CallFault {
    NONE,
    HTTP_500,
    SLOW,
    TIMEOUT,
    DROP
  }

  private synchronized CallFault drawCallFault() {
    Faults f = faults;
    double r = random.nextDouble();
    if ((r -= f.http500Rate()) < 0) {
      return CallFault.HTTP_500;
    }
    if ((r -= f.slowRate()) < 0) {
      return CallFault.SLOW;
    }
    if ((r -= f.timeoutRate()) < 0) {
      return CallFault.TIMEOUT;
    }
    if ((r -= f.dropRate()) < 0) {
      return CallFault.DROP;
    }
    return CallFault.NONE;
  }

  private synchronized boolean drawInternalFailure() {
    return faults.internalFailureRate() > 0 && random.nextDouble() < faults.internalFailureRate();
  }

  private Response putRecords(Request request) throws IOException {
    putCalls.incrementAndGet();
    Faults f = faults;
    if (f.failEveryPutWith() != null) {
      return error(f.failStatus(), f.failEveryPutWith(), "injected " + f.failEveryPutWith());
    }
    CallFault fault = drawCallFault();
    switch (fault) {
      case HTTP_500 -> {
        http500s.incrementAndGet();
        return error(500, "InternalFailure", "injected HTTP 500");
      }
      case SLOW -> {
        slow.incrementAndGet();
        sleep(f.slowDelay());
      }
      case TIMEOUT, DROP -> {
        if (!f.storeBeforeHangup()) {
          hangUp(fault, f);
        }
      }
      default -> {}
    }
    ObjectNode body = (ObjectNode) JSON.readTree(request.body());
    ArrayNode records = (ArrayNode) body.get("Records");
    int n = records.size();
    String refused = refusedKey;
    for (int i = 0; refused != null && i < n; i++) {
      if (refused.equals(records.get(i).path("PartitionKey").asText())) {
        refusedRequests.incrementAndGet();
        return error(
            400,
            "ValidationException",
            "1 validation error detected: Value '"
                + refused
                + "' at 'records."
                + (i + 1)
                + ".member.partitionKey' failed to satisfy constraint: injected");
      }
    }
    entries.addAndGet(n);
    ObjectNode[] results = new ObjectNode[n];
    List<Integer> admitted = new ArrayList<>(n);
    List<String> admittedKeys = new ArrayList<>(n);
    Buckets limits = buckets;
    long now = System.nanoTime();
    long admittedBytes = 0;
    for (int i = 0; i < n; i++) {
      JsonNode record = records.get(i);
      String key = record.get("PartitionKey").asText();
      long size =
          base64Length(record.get("Data").asText()) + key.getBytes(StandardCharsets.UTF_8).length;
      int shard = limits == null ? -1 : limits.shardOf(record);
      if (limits != null && !limits.tryTake(shard, size, now)) {
        throttled.incrementAndGet();
        results[i] =
            JSON.createObjectNode()
                .put("ErrorCode", "ProvisionedThroughputExceededException")
                .put(
                    "ErrorMessage",
                    "Rate exceeded for shard "
                        + limits.shardId(shard)
                        + " in stream "
                        + body.path("StreamName").asText()
                        + " under account 000000000000.");
      } else if (drawInternalFailure()) {
        internalFailures.incrementAndGet();
        results[i] =
            JSON.createObjectNode()
                .put("ErrorCode", "InternalFailure")
                .put("ErrorMessage", "Internal service failure.");
      } else {
        admitted.add(i);
        admittedKeys.add(key);
        admittedBytes += size;
        if (backend == null) {
          results[i] =
              JSON.createObjectNode()
                  .put("SequenceNumber", Long.toString(sequence.incrementAndGet()))
                  .put(
                      "ShardId",
                      limits == null ? sinkShards.get(0).shardId() : limits.shardId(shard));
        }
      }
    }
    String requestId = newRequestId();
    if (backend != null && !admitted.isEmpty()) {
      ArrayNode forwarded = JSON.createArrayNode();
      for (int i : admitted) {
        forwarded.add(records.get(i));
      }
      ObjectNode copy = body.deepCopy();
      copy.set("Records", forwarded);
      Response r = forward(request, bytes(copy));
      if (r.status() != 200) {
        return r;
      }
      JsonNode answer = JSON.readTree(r.body()).get("Records");
      for (int j = 0; j < admitted.size(); j++) {
        results[admitted.get(j)] = (ObjectNode) answer.get(j);
      }
      requestId = r.requestId();
    }
    int failed = 0;
    ArrayNode out = JSON.createArrayNode();
    for (ObjectNode result : results) {
      if (result.has("ErrorCode")) {
        failed++;
      } else {
        stored.incrementAndGet();
      }
      out.add(result);
    }
    storedBytes.addAndGet(admittedBytes);
    if (fault == CallFault.TIMEOUT || fault == CallFault.DROP) {
      for (int j = 0; j < admitted.size(); j++) {
        if (!results[admitted.get(j)].has("ErrorCode")) {
          unansweredStored.add(admittedKeys.get(j));
        }
      }
      hangUp(fault, f);
    }
    AnswerGate g = gate;
    if (g != null) {
      List<String> storedKeys = new ArrayList<>(admitted.size());
      for (int j = 0; j < admitted.size(); j++) {
        if (!results[admitted.get(j)].has("ErrorCode")) {
          storedKeys.add(admittedKeys.get(j));
        }
      }
      try {
        g.pass(body.path("StreamName").asText(), storedKeys);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Hangup();
      }
    }
    ObjectNode response = JSON.createObjectNode().put("FailedRecordCount", failed);
    response.set("Records", out);
    return new Response(200, bytes(response), requestId);
  }

  private void hangUp(CallFault fault, Faults f) {
    if (fault == CallFault.TIMEOUT) {
      timeouts.incrementAndGet();
      sleep(f.timeoutHold());
    } else {
      drops.incrementAndGet();
    }
    throw new Hangup();
  }

  private static long base64Length(String b64) {
    int n = b64.length();
    int padding =
        n > 0 && b64.charAt(n - 1) == '=' ? (n > 1 && b64.charAt(n - 2) == '=' ? 2 : 1) : 0;
    return n / 4L * 3 - padding;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Hangup();
    }
  }

  /** Token buckets per shard, records and bytes; a take needs a whole token of each. */
  private static final class Buckets {
    private final List<ShardRange> shards;
    private final BigInteger[] starts;
    private final double recordRate;
    private final double byteRate;
    private final double recordCapacity;
    private final double byteCapacity;
    private final double[] records;
    private final double[] bytes;
    private final long[] last;

    Buckets(Throttle t) {
      this.shards = t.shards().stream().sorted((a, b) -> a.start().compareTo(b.start())).toList();
      this.starts = shards.stream().map(ShardRange::start).toArray(BigInteger[]::new);
      this.recordRate = t.recordsPerSecond();
      this.byteRate = t.bytesPerSecond();
      double burst = t.burst().toNanos() / 1e9;
      this.recordCapacity = Math.max(1, recordRate * burst);
      this.byteCapacity = Math.max(1024 * 1024 + 256, byteRate * burst);
      this.records = new double[shards.size()];
      this.bytes = new double[shards.size()];
      this.last = new long[shards.size()];
      long now = System.nanoTime();
      for (int i = 0; i < shards.size(); i++) {
        records[i] = recordCapacity;
        bytes[i] = byteCapacity;
        last[i] = now;
      }
    }

    int shardOf(JsonNode record) {
      JsonNode explicit = record.get("ExplicitHashKey");
      BigInteger hash =
          explicit != null && !explicit.isNull()
              ? new BigInteger(explicit.asText())
              : KinesisEmulator.hashKey(record.get("PartitionKey").asText());
      int i = java.util.Arrays.binarySearch(starts, hash);
      return i >= 0 ? i : Math.max(0, -i - 2);
    }

    String shardId(int shard) {
      return shards.get(shard).shardId();
    }

    synchronized boolean tryTake(int shard, long size, long now) {
      double seconds = (now - last[shard]) / 1e9;
      if (seconds > 0) {
        records[shard] = Math.min(recordCapacity, records[shard] + recordRate * seconds);
        bytes[shard] = Math.min(byteCapacity, bytes[shard] + byteRate * seconds);
        last[shard] = now;
      }
      if (records[shard] >= 1 && bytes[shard] >= size) {
        records[shard] -= 1;
        bytes[shard] -= size;
        return true;
      }
      return false;
    }
  }
}
