package io.rowstream.server.web;

import io.javalin.http.Context;
import io.rowstream.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the web UI: a login with the server's API token opens one; it lives in an
 * HttpOnly, SameSite=Strict cookie and holds the CSRF token every POST must carry. Sessions live in
 * memory only (a restart asks to log in again) and expire after {@link #IDLE_TIMEOUT} unused.
 */
final class Sessions {
  static final String COOKIE = "rowstream_session";

  /** Holds the CSRF token of the login form (there is no session yet). */
  static final String LOGIN_COOKIE = "rowstream_login";

  static final String CSRF_FIELD = "csrf";
  static final Duration IDLE_TIMEOUT = Duration.ofHours(12);

  /** One logged-in browser. */
  record Session(String id, String csrf, Instant lastSeen) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  static String randomToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The request's live session; with {@code auth: none}, one is opened without a login. */
  Optional<Session> current(Context ctx, ServerConfig server) {
    String id = ctx.cookie(COOKIE);
    Session found = id == null ? null : sessions.get(id);
    Instant now = clock.instant();
    if (found != null && found.lastSeen().plus(IDLE_TIMEOUT).isBefore(now)) {
      sessions.remove(found.id());
      found = null;
    }
    if (found == null && server.auth() == ServerConfig.Auth.NONE) {
      return Optional.of(open(ctx));
    }
    if (found != null) {
      found = new Session(found.id(), found.csrf(), now);
      sessions.put(found.id(), found);
    }
    return Optional.ofNullable(found);
  }

  /** Whether {@code token} is the server's API token (compared in constant time). */
  static boolean tokenMatches(ServerConfig server, String token) {
    return server.apiToken().map(t -> same(t.reveal(), token)).orElse(false);
  }

  Session open(Context ctx) {
    Session session = new Session(randomToken(), randomToken(), clock.instant());
    sessions.put(session.id(), session);
    ctx.header("Set-Cookie", cookie(COOKIE, session.id(), -1));
    return session;
  }

  void close(Context ctx) {
    Optional.ofNullable(ctx.cookie(COOKIE)).ifPresent(sessions::remove);
    ctx.header("Set-Cookie", cookie(COOKIE, "", 0));
  }

  static String cookie(String name, String value, int maxAge) {
    return name
        + "="
        + value
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }
}
