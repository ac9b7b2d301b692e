package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials provider of a destination: the AWS default chain, static keys, a profile, or a
 * role assumed through STS with one of those as the source credentials.
 */
final class CredentialSource implements SdkAutoCloseable {
  /**
   * A background refresh of an assumed role's session starts this long before it expires, so
   * sends never wait for STS while it answers.
   */
  static final Duration ROLE_PREFETCH_TIME = Duration.ofMinutes(5);

  /**
   * Within this long of expiry a session is no longer used: callers wait for a new one. One
   * minute after the prefetch time, because the SDK spreads prefetches at random between the
   * prefetch time and one minute before the stale time; one process has no herd to spread, and a
   * session renewed at a known time is easier to reason about (and to test).
   */
  static final Duration ROLE_STALE_TIME = ROLE_PREFETCH_TIME.minusMinutes(1);

  private final AwsCredentialsProvider provider;
  private final Optional<StsClient> sts;
  private final String description;

  private CredentialSource(AwsCredentialsProvider provider, Optional<StsClient> sts, String description) {
    this.provider = provider;
    this.sts = sts;
    this.description = description;
  }

  static CredentialSource of(DestinationConfig config) {
    Optional<Credentials> c = config.credentials();
    AwsCredentialsProvider source = c.map(CredentialSource::sourceProvider)
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    String sourceMode = c.map(Credentials::sourceMode).orElse("AWS default chain");
    Optional<AssumeRole> role = c.flatMap(Credentials::role);
    if (role.isEmpty()) {
      return new CredentialSource(source, Optional.empty(), sourceMode);
    }
    AssumeRole r = role.get();
    var stsBuilder = StsClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(source)
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)));
    r.stsEndpoint().ifPresent(stsBuilder::endpointOverride);
    StsClient sts = stsBuilder.build();
    AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
        .roleArn(r.roleArn())
        .roleSessionName(r.sessionName())
        .durationSeconds((int) r.sessionDuration().toSeconds());
    r.externalId().ifPresent(id -> request.externalId(id.reveal()));
    StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(request.build())
        .prefetchTime(ROLE_PREFETCH_TIME)
        .staleTime(ROLE_STALE_TIME)
        .asyncCredentialUpdateEnabled(true)
        .build();
    String description = "role " + r.roleArn() + " (session " + r.sessionName() + ", "
        + r.sessionDuration().toMinutes() + "m" + r.externalId().map(id -> ", external id "
        + DestinationConfig.mask(id.reveal())).orElse("") + ") assumed with " + sourceMode
        + r.stsEndpoint().map(u -> " through STS at " + u).orElse("");
    return new CredentialSource(assumed, Optional.of(sts), description);
  }

  private static AwsCredentialsProvider sourceProvider(Credentials c) {
    if (c.accessKeyId().isPresent()) {
      String id = c.accessKeyId().get();
      String secret = c.secretAccessKey().orElseThrow().reveal();
      return StaticCredentialsProvider.create(c.sessionToken().isPresent()
          ? AwsSessionCredentials.create(id, secret, c.sessionToken().get().reveal())
          : AwsBasicCredentials.create(id, secret));
    }
    if (c.profile().isPresent()) {
      return ProfileCredentialsProvider.builder().profileName(c.profile().get()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** Why a call failed, when it was the role assumption: the kind of error and a message. */
  record RoleFailure(boolean retryable, String message) {}

  /**
   * The STS error behind {@code e}, if assuming the role failed, explained for the user: an
   * assume-role refusal is not a Kinesis permission problem and must not read like one.
   */
  static Optional<RoleFailure> roleFailure(Throwable e, DestinationConfig config) {
    Optional<AssumeRole> role = config.credentials().flatMap(Credentials::role);
    if (role.isEmpty()) {
      return Optional.empty();
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StsException sts) {
        String code = sts.awsErrorDetails() == null ? null : sts.awsErrorDetails().errorCode();
        String message = sts.awsErrorDetails() == null ? sts.getMessage() : sts.awsErrorDetails().errorMessage();
        String source = config.credentials().map(Credentials::sourceMode).orElse("AWS default chain");
        String start = "destination " + config.name() + " could not assume role " + role.get().roleArn()
            + " with its source credentials (" + source + "): " + code + (message == null ? "" : ": " + message);
        if (sts.statusCode() >= 500 || "Throttling".equals(code) || "IDPCommunicationError".equals(code)) {
          return Optional.of(new RoleFailure(true, start));
        }
        if ("RegionDisabledException".equals(code)) {
          return Optional.of(new RoleFailure(false, start + ". Activate STS in region " + config.region()
              + " (IAM account settings), or set sts_endpoint"));
        }
        if ("ValidationError".equals(code)) {
          return Optional.of(new RoleFailure(false, start + ". Check session_duration against the role's "
              + "maximum session duration, and session_name"));
        }
        return Optional.of(new RoleFailure(false, start + ". The role's trust policy must allow sts:AssumeRole "
            + "for the source principal" + (role.get().externalId().isPresent()
                ? " with this external id" : "; if it requires an external id, set external_id")
            + ", and the source credentials must be valid"));
      }
    }
    return Optional.empty();
  }

  AwsCredentialsProvider provider() {
    return provider;
  }

  boolean assumesRole() {
    return sts.isPresent();
  }

  /** The mode in words, e.g. {@code role arn:... assumed with static keys}; holds no secret. */
  String description() {
    return description;
  }

  @Override
  public void close() {
    if (provider instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
    sts.ifPresent(StsClient::close);
  }
}
