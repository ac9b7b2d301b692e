package io.rowstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kinesis endpoint on loopback that records each request's signing headers and forwards it to a
 * real emulator, returning its answer. It can refuse chosen operations with AccessDeniedException,
 * and fail the PutRecords entries of a chosen partition key with a per-entry error code.
 */
public final class RecordingForwarder implements AutoCloseable {
  /** One request as it came in. */
  public record Request(
      String operation, String accessKeyId, Optional<String> securityToken, String body) {}

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI target;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final Map<String, String> failedKeys = new ConcurrentHashMap<>();

  private RecordingForwarder(HttpServer server, ExecutorService executor, URI target) {
    this.server = server;
    this.executor = executor;
    this.target = target;
  }

  /** Starts on a free loopback port, forwarding to {@code target} (e.g. kinesalite's endpoint). */
  public static RecordingForwarder start(String target) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              16,
              r -> {
                Thread t = new Thread(r, "recording-forwarder");
                t.setDaemon(true);
                return t;
              });
      RecordingForwarder forwarder = new RecordingForwarder(server, executor, URI.create(target));
      server.createContext("/", forwarder::handle);
      server.setExecutor(executor);
      server.start();
      return forwarder;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  /** Answers {@code operation} (e.g. {@code ListShards}) with AccessDeniedException from now on. */
  public RecordingForwarder deny(String operation) {
    denied.add(operation);
    return this;
  }

  /**
   * Fails every PutRecords entry with this partition key with {@code errorCode}, on every attempt.
   */
  public RecordingForwarder failEntries(String partitionKey, String errorCode) {
    failedKeys.put(partitionKey, errorCode);
    return this;
  }

  /** The access key id of a SigV4 Authorization header. */
  static String accessKeyId(String authorization) {
    if (authorization == null) {
      return "";
    }
    Matcher m = CREDENTIAL.matcher(authorization);
    return m.find() ? m.group(1) : "";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String amzTarget =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
      String operation = amzTarget.substring(amzTarget.indexOf('.') + 1);
      requests.add(
          new Request(
              operation,
              accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")),
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")),
              new String(body, StandardCharsets.UTF_8)));
      if (denied.contains(operation)) {
        reply(
            exchange,
            400,
            "{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:sts::123456789012:"
                + "assumed-role/test/rowstream is not authorized to perform: kinesis:"
                + operation
                + " on resource: "
                + "arn:aws:kinesis:us-east-1:123456789012:stream/"
                + streamName(body)
                + " because no identity-based "
                + "policy allows the kinesis:"
                + operation
                + " action\"}",
            "application/x-amz-json-1.1");
        return;
      }
      if (operation.equals("PutRecords") && !failedKeys.isEmpty()) {
        putRecordsWithFailures(exchange, body);
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      response
          .headers()
          .firstValue("x-amzn-RequestId")
          .ifPresent(id -> exchange.getResponseHeaders().set("x-amzn-RequestId", id));
      reply(
          exchange,
          response.statusCode(),
          new String(response.body(), StandardCharsets.UTF_8),
          response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String streamName(byte[] body) {
    try {
      return JSON.readTree(body).path("StreamName").asText("*");
    } catch (IOException e) {
      return "*";
    }
  }

  /** Sends the other entries on, and puts the failed ones back in their places in the answer. */
  private void putRecordsWithFailures(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    ObjectNode request = (ObjectNode) JSON.readTree(body);
    ArrayNode all = (ArrayNode) request.get("Records");
    ArrayNode passed = JSON.createArrayNode();
    List<String> failedCodes = new ArrayList<>();
    for (JsonNode record : all) {
      String code = failedKeys.get(record.path("PartitionKey").asText());
      failedCodes.add(code);
      if (code == null) {
        passed.add(record);
      }
    }
    ArrayNode stored = JSON.createArrayNode();
    int failedCount = 0;
    if (!passed.isEmpty()) {
      request.set("Records", passed);
      HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(request));
      if (response.statusCode() != 200) {
        reply(
            exchange,
            response.statusCode(),
            new String(response.body(), StandardCharsets.UTF_8),
            "application/x-amz-json-1.1");
        return;
      }
      JsonNode answer = JSON.readTree(response.body());
      stored = (ArrayNode) answer.get("Records");
      failedCount = answer.path("FailedRecordCount").asInt();
    }
    ArrayNode merged = JSON.createArrayNode();
    int next = 0;
    for (String code : failedCodes) {
      if (code == null) {
        merged.add(stored.get(next++));
      } else {
        merged
            .addObject()
            .put("ErrorCode", code)
            .put("ErrorMessage", "Injected by the test for this partition key");
        failedCount++;
      }
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("FailedRecordCount", failedCount);
    answer.set("Records", merged);
    reply(exchange, 200, JSON.writeValueAsString(answer), "application/x-amz-json-1.1");
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(30));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void reply(HttpExchange exchange, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (!exchange.getResponseHeaders().containsKey("x-amzn-RequestId")) {
      exchange
          .getResponseHeaders()
          .set("x-amzn-RequestId", "fwd-" + Long.toHexString(System.nanoTime()));
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
