package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code server:} section, used by {@code rowstream serve} only: where the API listens, how
 * callers authenticate, how many runs go at once, and how long a worker's lease on a sync lasts
 * without a heartbeat when several workers share a PostgreSQL state.
 */
public record ServerConfig(
    String bind,
    int port,
    Optional<Secret> apiToken,
    Auth auth,
    int maxConcurrentRuns,
    Duration leaseTtl) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int MAX_CONCURRENT_RUNS_LIMIT = 64;

  /**
   * How long a worker holds a sync's lease without renewing it; a killed worker's sync is taken
   * over this long after its last heartbeat.
   */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);

  public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);
  public static final Duration MAX_LEASE_TTL = Duration.ofHours(1);

  /** Heartbeats renew a held lease this many times per TTL. */
  public static final int HEARTBEATS_PER_TTL = 3;

  /**
   * Runs at once by default: twice the processors, since a run mostly waits (on the source, on
   * Kinesis' answers and its per-shard pace), from 2 up to 8, since each run's planning may use up
   * to {@code DuckDbState.DEFAULT_MEMORY_LIMIT} (1 GB) of memory.
   */
  public static final int DEFAULT_MAX_CONCURRENT_RUNS =
      defaultMaxConcurrentRuns(Runtime.getRuntime().availableProcessors());

  static int defaultMaxConcurrentRuns(int processors) {
    return Math.max(2, Math.min(8, 2 * processors));
  }

  /** The section's values when the config has none. */
  public static final ServerConfig DEFAULTS =
      new ServerConfig(
          DEFAULT_BIND,
          DEFAULT_PORT,
          Optional.empty(),
          Auth.TOKEN,
          DEFAULT_MAX_CONCURRENT_RUNS,
          DEFAULT_LEASE_TTL);

  /** How API callers authenticate. */
  public enum Auth {
    /** {@code Authorization: Bearer api_token} on every API call. */
    TOKEN,
    /** No authentication: allowed on a loopback bind only. */
    NONE
  }

  public ServerConfig {
    requireNonNull(bind, "bind is null");
    requireNonNull(apiToken, "apiToken is null");
    requireNonNull(auth, "auth is null");
    requireNonNull(leaseTtl, "leaseTtl is null");
  }

  /** How often a held lease is renewed: a third of its TTL. */
  public Duration heartbeat() {
    return leaseTtl.dividedBy(HEARTBEATS_PER_TTL);
  }

  /** Whether {@code bind} only accepts connections from this machine. */
  public static boolean loopback(String bind) {
    return bind.equals("localhost")
        || bind.equals("::1")
        || bind.equals("[::1]")
        || bind.startsWith("127.");
  }

  /** Why {@code serve} cannot start with this section, if it cannot. */
  public Optional<String> unusable() {
    if (auth == Auth.TOKEN && apiToken.isEmpty()) {
      return Optional.of(
          "server.api_token is required to serve the API (e.g. api_token: ${ROWSTREAM_API_TOKEN}); "
              + "or set server.auth: none on a loopback bind");
    }
    return Optional.empty();
  }
}
