package io.rowstream.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local STS on loopback that answers AssumeRole (query protocol: a form-encoded POST, an XML
 * answer) with numbered session credentials of a chosen lifetime, and records every request. It can
 * also refuse, the way STS does when a role's trust policy does not allow the caller.
 */
public final class FakeSts implements AutoCloseable {
  /** One AssumeRole request: its form parameters and the access key id that signed it. */
  public record Request(Map<String, String> params, String signedBy) {
    public String param(String name) {
      return params.get(name);
    }
  }

  /** Session credentials the fake issued, in order. */
  public record Session(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

  private final HttpServer server;
  private final Duration lifetime;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private volatile Optional<String> refusal = Optional.empty();

  private FakeSts(HttpServer server, Duration lifetime) {
    this.server = server;
    this.lifetime = lifetime;
  }

  /**
   * Starts on a free loopback port; each session it issues expires {@code lifetime} after issue.
   */
  public static FakeSts start(Duration lifetime) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeSts sts = new FakeSts(server, lifetime);
      server.createContext("/", sts::handle);
      server.setExecutor(
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "fake-sts");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      return sts;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  /** From now on, answers AssumeRole with AccessDenied (HTTP 403). */
  public void refuse(String message) {
    refusal = Optional.of(message);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      requests.add(
          new Request(
              params,
              RecordingForwarder.accessKeyId(
                  exchange.getRequestHeaders().getFirst("Authorization"))));
      if (!"AssumeRole".equals(params.get("Action"))) {
        reply(exchange, 400, error("InvalidAction", "this fake answers AssumeRole only"));
        return;
      }
      if (refusal.isPresent()) {
        reply(exchange, 403, error("AccessDenied", refusal.get()));
        return;
      }
      int n = counter.incrementAndGet();
      Session session =
          new Session(
              "ASIAFAKESESSION%04d".formatted(n),
              "fake-session-secret-" + n,
              "fake-session-token-" + n,
              Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS));
      sessions.add(session);
      String arn = params.getOrDefault("RoleArn", "");
      reply(
          exchange,
          200,
          """
          <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
            <AssumeRoleResult>
              <Credentials>
                <AccessKeyId>%s</AccessKeyId>
                <SecretAccessKey>%s</SecretAccessKey>
                <SessionToken>%s</SessionToken>
                <Expiration>%s</Expiration>
              </Credentials>
              <AssumedRoleUser>
                <Arn>%s/%s</Arn>
                <AssumedRoleId>AROAFAKEROLE:%s</AssumedRoleId>
              </AssumedRoleUser>
            </AssumeRoleResult>
            <ResponseMetadata><RequestId>sts-request-%d</RequestId></ResponseMetadata>
          </AssumeRoleResponse>
          """
              .formatted(
                  session.accessKeyId(),
                  session.secretAccessKey(),
                  session.sessionToken(),
                  session.expiration(),
                  arn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/"),
                  params.get("RoleSessionName"),
                  params.get("RoleSessionName"),
                  n));
    }
  }

  private static String error(String code, String message) {
    return """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
          <RequestId>sts-error</RequestId>
        </ErrorResponse>
        """
        .formatted(code, message);
  }

  private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
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
