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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Kinesis stand-in on loopback whose every error message quotes a given text, the way a careless
 * server echoes what it was sent: ListStreams, ListShards and the rest are refused as invalid, and
 * PutRecords either refuses each record ({@code InvalidArgumentException}) or the whole request
 * ({@code AccessDeniedException}), with the text in each message.
 */
public final class EchoingKinesis implements AutoCloseable {
  /** How PutRecords is answered. */
  public enum PutRecords {
    REFUSE_EACH_RECORD,
    DENY_REQUEST
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String echo;
  private final PutRecords putRecords;
  private final List<String> operations = new CopyOnWriteArrayList<>();

  private EchoingKinesis(HttpServer server, String echo, PutRecords putRecords) {
    this.server = server;
    this.echo = echo;
    this.putRecords = putRecords;
  }

  /** Starts on a free loopback port; {@code echo} is quoted in every error message. */
  public static EchoingKinesis start(String echo, PutRecords putRecords) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      EchoingKinesis kinesis = new EchoingKinesis(server, echo, putRecords);
      server.createContext("/", kinesis::handle);
      server.setExecutor(
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "echoing-kinesis");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      return kinesis;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The operations called, in order. */
  public List<String> operations() {
    return List.copyOf(operations);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
      String operation = target.substring(target.indexOf('.') + 1);
      operations.add(operation);
      if (!operation.equals("PutRecords")) {
        reply(
            exchange, 400, error("ValidationException", operation + " refused; you sent: " + echo));
        return;
      }
      if (putRecords == PutRecords.DENY_REQUEST) {
        reply(
            exchange,
            400,
            error("AccessDeniedException", "not authorized; your request was signed with " + echo));
        return;
      }
      JsonNode request = JSON.readTree(body);
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode records = answer.putArray("Records");
      int n = request.path("Records").size();
      for (int i = 0; i < n; i++) {
        records
            .addObject()
            .put("ErrorCode", "InvalidArgumentException")
            .put("ErrorMessage", "record " + i + " refused; the request held " + echo);
      }
      answer.put("FailedRecordCount", n);
      reply(exchange, 200, JSON.writeValueAsString(answer));
    }
  }

  private static String error(String type, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("__type", type);
    o.put("message", message);
    return o.toString();
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange
        .getResponseHeaders()
        .set("x-amzn-RequestId", "echo-" + Long.toHexString(System.nanoTime()));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
