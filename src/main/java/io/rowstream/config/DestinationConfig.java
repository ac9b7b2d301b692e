package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Redactor;
import io.rowstream.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Kinesis account, region and credentials, and how hard Rowstream may write to its streams. */
public record DestinationConfig(
    String name,
    String region,
    Optional<URI> endpoint,
    Optional<Credentials> credentials,
    Sending sending) {

  public DestinationConfig {
    requireNonNull(name, "name is null");
    requireNonNull(region, "region is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(credentials, "credentials is null");
    requireNonNull(sending, "sending is null");
  }

  /** A destination sending with the defaults. */
  public DestinationConfig(
      String name, String region, Optional<URI> endpoint, Optional<Credentials> credentials) {
    this(name, region, endpoint, credentials, Sending.DEFAULTS);
  }

  /** The secret values of this destination: keys, token, external id, user info of its URLs. */
  public List<String> secretValues() {
    List<String> values = new ArrayList<>();
    endpoint.ifPresent(u -> values.addAll(Redactor.secretsOf(u.toString())));
    credentials.ifPresent(
        c -> {
          c.secretAccessKey().ifPresent(k -> values.add(k.reveal()));
          c.sessionToken().ifPresent(t -> values.add(t.reveal()));
          c.role().flatMap(AssumeRole::externalId).ifPresent(id -> values.add(id.reveal()));
          c.role()
              .flatMap(AssumeRole::stsEndpoint)
              .ifPresent(u -> values.addAll(Redactor.secretsOf(u.toString())));
        });
    return values;
  }

  /**
   * What a destination changes in how records are sent; empty means the producer's default.
   *
   * @param maxInFlight PutRecords requests in flight at once (default 4, at most 32)
   * @param shardSharePercent the part of each shard's write limits (1,000 records/s, 1 MiB/s)
   *     Rowstream paces to, for streams that other producers write to as well (default 100)
   * @param outageTimeout how long a run rides out an endpoint that does not answer (connection
   *     refused or reset, timeouts, 5xx) before it fails naming the outage (default 2m, at least
   *     1s)
   */
  public record Sending(
      Optional<Integer> maxInFlight,
      Optional<Integer> shardSharePercent,
      Optional<Duration> outageTimeout) {
    public static final Sending DEFAULTS =
        new Sending(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The Kinesis client keeps twice as many connections, so a ListShards refresh never waits for
     * one.
     */
    public static final int MAX_IN_FLIGHT_LIMIT = 32;

    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration MIN_OUTAGE_TIMEOUT = Duration.ofSeconds(1);

    public Sending {
      requireNonNull(maxInFlight, "maxInFlight is null");
      requireNonNull(shardSharePercent, "shardSharePercent is null");
      requireNonNull(outageTimeout, "outageTimeout is null");
      outageTimeout
          .filter(d -> d.compareTo(MIN_OUTAGE_TIMEOUT) < 0)
          .ifPresent(
              d -> {
                throw new IllegalArgumentException(
                    "outageTimeout " + d + " is under " + MIN_OUTAGE_TIMEOUT);
              });
      maxInFlight
          .filter(n -> n < 1 || n > MAX_IN_FLIGHT_LIMIT)
          .ifPresent(
              n -> {
                throw new IllegalArgumentException(
                    "maxInFlight " + n + " is not from 1 to " + MAX_IN_FLIGHT_LIMIT);
              });
      shardSharePercent
          .filter(n -> n < 1 || n > 100)
          .ifPresent(
              n -> {
                throw new IllegalArgumentException(
                    "shardSharePercent " + n + " is not from 1 to 100");
              });
    }
  }

  /**
   * Static keys, a named profile, or neither (the AWS default chain); and optionally a role to
   * assume with them as the source credentials.
   */
  public record Credentials(
      Optional<String> accessKeyId,
      Optional<Secret> secretAccessKey,
      Optional<Secret> sessionToken,
      Optional<String> profile,
      Optional<AssumeRole> role) {

    public Credentials {
      requireNonNull(accessKeyId, "accessKeyId is null");
      requireNonNull(secretAccessKey, "secretAccessKey is null");
      requireNonNull(sessionToken, "sessionToken is null");
      requireNonNull(profile, "profile is null");
      requireNonNull(role, "role is null");
    }

    /** Static keys or a profile only. */
    public static Credentials of(
        Optional<String> accessKeyId,
        Optional<Secret> secretAccessKey,
        Optional<Secret> sessionToken,
        Optional<String> profile) {
      return new Credentials(accessKeyId, secretAccessKey, sessionToken, profile, Optional.empty());
    }

    /**
     * How the source credentials are found, in words: {@code static keys}, {@code profile 'x'}, ...
     */
    public String sourceMode() {
      if (accessKeyId.isPresent()) {
        return sessionToken.isPresent() ? "static keys with session token" : "static keys";
      }
      return profile.map(p -> "profile '" + p + "'").orElse("AWS default chain");
    }
  }

  /**
   * A role assumed through STS with the source credentials; the session is renewed before it
   * expires.
   *
   * @param sessionName shows in the role's CloudTrail entries
   * @param stsEndpoint an STS endpoint other than the region's (VPC endpoints, tests)
   */
  public record AssumeRole(
      String roleArn,
      Optional<Secret> externalId,
      String sessionName,
      Duration sessionDuration,
      Optional<URI> stsEndpoint) {

    public static final Duration DEFAULT_SESSION_DURATION = Duration.ofHours(1);
    public static final Duration MIN_SESSION_DURATION = Duration.ofMinutes(15);
    public static final Duration MAX_SESSION_DURATION = Duration.ofHours(12);

    public AssumeRole {
      requireNonNull(roleArn, "roleArn is null");
      requireNonNull(externalId, "externalId is null");
      requireNonNull(sessionName, "sessionName is null");
      requireNonNull(sessionDuration, "sessionDuration is null");
      requireNonNull(stsEndpoint, "stsEndpoint is null");
    }

    /**
     * The default session name of a destination: {@code rowstream-NAME}, cut to STS' 64 characters.
     */
    public static String defaultSessionName(String destination) {
      String name = "rowstream-" + destination;
      return name.length() <= 64 ? name : name.substring(0, 64);
    }
  }

  /** Shows the last 4 characters of an identifier, e.g. an access key id: {@code ****WXYZ}. */
  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return "****";
    }
    return value.length() <= 8 ? "****" : "****" + value.substring(value.length() - 4);
  }
}
