package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Secret;
import java.net.URI;
import java.util.Optional;

/** A Kinesis account, region and credentials. */
public record DestinationConfig(
    String name, String region, Optional<URI> endpoint, Optional<Credentials> credentials) {

  public DestinationConfig {
    requireNonNull(name, "name is null");
    requireNonNull(region, "region is null");
  }

  /** Static keys, a named profile, or a role to assume; absent means the AWS default chain. */
  public record Credentials(
      Optional<String> accessKeyId,
      Optional<Secret> secretAccessKey,
      Optional<Secret> sessionToken,
      Optional<String> profile,
      Optional<String> roleArn,
      Optional<String> externalId) {}
}
