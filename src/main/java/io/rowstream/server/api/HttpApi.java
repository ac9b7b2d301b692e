package io.rowstream.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.rowstream.config.ServerConfig;
import io.rowstream.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code rowstream serve}: the REST API under {@code /api/v1} (JSON, bearer
 * token), {@code /healthz} (no auth) and {@code /metrics} (Prometheus text). Errors are {@code
 * {"error": {"code", "message"}}} with the house's error codes; no response carries a configured
 * secret (each body is scrubbed of every secret value of the config).
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String ERROR_WRITTEN = "rowstream.error-written";

  private final ApiBackend backend;
  private final Javalin app;

  private HttpApi(ApiBackend backend, Javalin app) {
    this.backend = backend;
    this.app = app;
  }

  /** Listens on {@code bind}:{@code port} (0: a free port) and serves until {@link #close()}. */
  public static HttpApi start(ApiBackend backend, String bind, int port) {
    return start(backend, bind, port, app -> {});
  }

  /**
   * As {@link #start(ApiBackend, String, int)}, with more routes (the web UI) mounted on the same
   * port.
   */
  public static HttpApi start(
      ApiBackend backend, String bind, int port, java.util.function.Consumer<Javalin> more) {
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.router.ignoreTrailingSlashes = true;
              config.http.prefer405over404 = true;
            });
    HttpApi api = new HttpApi(backend, app);
    Routes routes = new Routes(backend, api);
    app.before("/api/*", api::authenticate);
    app.before("/metrics", api::authenticate);
    routes.register(app);
    more.accept(app);
    app.exception(ApiException.class, (e, ctx) -> api.error(ctx, e.status, e.code, e.getMessage()));
    app.exception(
        RunHistory.Busy.class, (e, ctx) -> api.error(ctx, 409, ErrorCode.CONFLICT, e.getMessage()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            api.error(
                ctx,
                e.getStatus(),
                e.getStatus() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST,
                e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          api.error(
              ctx,
              500,
              ErrorCode.INTERNAL_ERROR,
              "internal error: "
                  + e.getClass().getSimpleName()
                  + "; the service log has the details");
        });
    app.error(
        404,
        ctx ->
            api.errorUnlessWritten(
                ctx,
                ErrorCode.NOT_FOUND,
                "no such endpoint: "
                    + ctx.method()
                    + " "
                    + ctx.path()
                    + "; see /api/v1/openapi.json"));
    app.error(
        405,
        ctx ->
            api.errorUnlessWritten(
                ctx,
                ErrorCode.BAD_REQUEST,
                ctx.method() + " is not allowed on " + ctx.path() + "; see /api/v1/openapi.json"));
    app.start(bind, port);
    return api;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private void authenticate(Context ctx) {
    ServerConfig server = backend.config().server();
    if (server.auth() == ServerConfig.Auth.NONE) {
      return;
    }
    String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
    byte[] expected =
        ("Bearer " + server.apiToken().map(t -> t.reveal()).orElse(""))
            .getBytes(StandardCharsets.UTF_8);
    if (server.apiToken().isEmpty()
        || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"rowstream\"");
      throw new ApiException(
          401,
          ErrorCode.UNAUTHORIZED,
          header.isEmpty()
              ? "send Authorization: Bearer TOKEN with the server's api_token"
              : "the token in Authorization is not the server's api_token");
    }
  }

  void send(Context ctx, int status, JsonNode body) {
    String text;
    try {
      text = Views.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.status(status)
        .contentType("application/json")
        .result(scrub(text, backend.config().secretValues()));
  }

  void sendText(Context ctx, String contentType, String text) {
    ctx.status(200).contentType(contentType).result(scrub(text, backend.config().secretValues()));
  }

  /** Every configured secret value out of a response body, whatever put it there. */
  static String scrub(String text, List<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      if (secret.length() >= 4 && out.contains(secret)) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }

  private void error(Context ctx, int status, ErrorCode code, String message) {
    ObjectNode body = Views.JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code.code());
    error.put("message", message);
    ctx.attribute(ERROR_WRITTEN, true);
    send(ctx, status, body);
  }

  private void errorUnlessWritten(Context ctx, ErrorCode code, String message) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      error(ctx, ctx.statusCode(), code, message);
    }
  }

  static String resource(String name) {
    try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
