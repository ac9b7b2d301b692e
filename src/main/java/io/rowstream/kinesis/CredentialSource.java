package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.core.ErrorCode;
import io.rowstream.delivery.ErrorCodes;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
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
   * A background refresh of an assumed role's session starts this long before it expires, so sends
   * never wait for STS while it answers.
   */
  static final Duration ROLE_PREFETCH_TIME = Duration.ofMinutes(5);

  /**
   * Within this long of expiry a session is no longer used: callers wait for a new one. One minute
   * after the prefetch time, because the SDK spreads prefetches at random between the prefetch time
   * and one minute before the stale time; one process has no herd to spread, and a session renewed
   * at a known time is easier to reason about (and to test).
   */
  static final Duration ROLE_STALE_TIME = ROLE_PREFETCH_TIME.minusMinutes(1);

  private final AwsCredentialsProvider provider;
  private final AwsCredentialsProvider unnamed;
  private final Optional<StsClient> sts;
  private final String description;

  private CredentialSource(
      AwsCredentialsProvider unnamed, String name, Optional<StsClient> sts, String description) {
    this.unnamed = unnamed;
    this.provider = new Named(unnamed, name);
    this.sts = sts;
    this.description = description;
  }

  static CredentialSource of(DestinationConfig config) {
    Optional<Credentials> c = config.credentials();
    AwsCredentialsProvider source =
        c.map(CredentialSource::sourceProvider)
            .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    String sourceMode = c.map(Credentials::sourceMode).orElse("AWS default chain");
    Optional<AssumeRole> role = c.flatMap(Credentials::role);
    if (role.isEmpty()) {
      return new CredentialSource(source, sourceMode, Optional.empty(), sourceMode);
    }
    AssumeRole r = role.get();
    var stsBuilder =
        StsClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(new Named(source, "the source credentials (" + sourceMode + ")"))
            .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
            // the run retries what may pass (throttling, 5xx) by ErrorCodes; an STS that cannot be
            // reached is not retried
            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()));
    r.stsEndpoint().ifPresent(stsBuilder::endpointOverride);
    StsClient sts = stsBuilder.build();
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(r.roleArn())
            .roleSessionName(r.sessionName())
            .durationSeconds((int) r.sessionDuration().toSeconds());
    r.externalId().ifPresent(id -> request.externalId(id.reveal()));
    StsAssumeRoleCredentialsProvider assumed =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts)
            .refreshRequest(request.build())
            .prefetchTime(ROLE_PREFETCH_TIME)
            .staleTime(ROLE_STALE_TIME)
            .asyncCredentialUpdateEnabled(true)
            .build();
    String description =
        "role "
            + r.roleArn()
            + " (session "
            + r.sessionName()
            + ", "
            + r.sessionDuration().toMinutes()
            + "m"
            + r.externalId()
                .map(id -> ", external id " + DestinationConfig.mask(id.reveal()))
                .orElse("")
            + ") assumed with "
            + sourceMode
            + r.stsEndpoint().map(u -> " through STS at " + u).orElse("");
    String stsName =
        "STS"
            + r.stsEndpoint().map(u -> " at " + u).orElse(" in region " + config.region())
            + " (AssumeRole of "
            + r.roleArn()
            + ")";
    return new CredentialSource(assumed, stsName, Optional.of(sts), description);
  }

  private static AwsCredentialsProvider sourceProvider(Credentials c) {
    if (c.accessKeyId().isPresent()) {
      String id = c.accessKeyId().get();
      String secret = c.secretAccessKey().orElseThrow().reveal();
      return StaticCredentialsProvider.create(
          c.sessionToken().isPresent()
              ? AwsSessionCredentials.create(id, secret, c.sessionToken().get().reveal())
              : AwsBasicCredentials.create(id, secret));
    }
    if (c.profile().isPresent()) {
      return ProfileCredentialsProvider.builder().profileName(c.profile().get()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * Why a call failed, when getting credentials failed: the {@link ErrorCode}, whether a retry may
   * mend it, and a message naming the credential source that failed.
   */
  record SourceFailure(ErrorCode code, boolean retryable, String message) {}

  /**
   * The credential source's failure behind {@code e}, if getting credentials failed, explained for
   * the user: an STS refusal, an STS endpoint that cannot be reached, a missing profile or no
   * credentials at all are not Kinesis problems and must not read like one.
   */
  static Optional<SourceFailure> failure(Throwable e, DestinationConfig config) {
    Optional<AssumeRole> role = config.credentials().flatMap(Credentials::role);
    String sourceMode =
        config.credentials().map(Credentials::sourceMode).orElse("AWS default chain");
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StsException sts && role.isPresent()) {
        return Optional.of(stsRefusal(sts, role.get(), sourceMode, config));
      }
    }
    Failed failed = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Failed f) {
        failed = f;
      }
    }
    if (failed == null) {
      return Optional.empty();
    }
    Throwable cause = failed.getCause();
    String why = rootMessage(cause);
    String all = chainMessages(cause);
    if (all.contains("Unable to load credentials from any of the providers")
        && config
            .credentials()
            .map(c -> c.accessKeyId().isEmpty() && c.profile().isEmpty())
            .orElse(true)) {
      return Optional.of(
          new SourceFailure(
              ErrorCode.CREDENTIALS_MISSING,
              false,
              "no AWS credentials for destination "
                  + config.name()
                  + ": set credentials in rowstream.yaml, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, "
                  + "or a profile"));
    }
    String advice =
        failed.source().startsWith("STS")
            ? "; check sts_endpoint, the region and the network (an STS that cannot be reached is not retried)"
            : failed.source().contains("profile")
                ? "; check the profile's name and ~/.aws/config and ~/.aws/credentials"
                : "; check the destination's credentials";
    return Optional.of(
        new SourceFailure(
            ErrorCode.CREDENTIAL_SOURCE_FAILED,
            false,
            "destination "
                + config.name()
                + " could not get credentials from "
                + failed.source()
                + ": "
                + why
                + advice));
  }

  private static SourceFailure stsRefusal(
      StsException sts, AssumeRole role, String source, DestinationConfig config) {
    String code = sts.awsErrorDetails() == null ? null : sts.awsErrorDetails().errorCode();
    String message =
        sts.awsErrorDetails() == null ? sts.getMessage() : sts.awsErrorDetails().errorMessage();
    String start =
        "destination "
            + config.name()
            + " could not assume role "
            + role.roleArn()
            + " with its source credentials ("
            + source
            + "): "
            + code
            + (message == null ? "" : ": " + message);
    if (ErrorCodes.isRetryable(code, sts.statusCode())) {
      return new SourceFailure(ErrorCode.CREDENTIAL_SOURCE_FAILED, true, start);
    }
    if ("RegionDisabledException".equals(code)) {
      return new SourceFailure(
          ErrorCode.CREDENTIAL_SOURCE_FAILED,
          false,
          start
              + ". Activate STS in region "
              + config.region()
              + " (IAM account settings), or set sts_endpoint");
    }
    if ("ValidationError".equals(code)) {
      return new SourceFailure(
          ErrorCode.CREDENTIAL_SOURCE_FAILED,
          false,
          start
              + ". Check session_duration against "
              + "the role's maximum session duration, and session_name");
    }
    return new SourceFailure(
        ErrorCode.CREDENTIAL_SOURCE_FAILED,
        false,
        start
            + ". The role's trust policy must allow "
            + "sts:AssumeRole for the source principal"
            + (role.externalId().isPresent()
                ? " with this external id"
                : "; if it requires an external id, set external_id")
            + ", and the source credentials must be valid");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? "" : root.getMessage();
    return root == e ? m : root.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  private static String chainMessages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** Marks, in an exception's causes, the credential source that failed first. */
  static final class Failed extends RuntimeException {
    private final String source;

    Failed(String source, Throwable cause) {
      super("credential source failed: " + source, cause);
      this.source = source;
    }

    String source() {
      return source;
    }
  }

  /** A provider that marks its failures with its name, unless a source inside it failed first. */
  private record Named(AwsCredentialsProvider inner, String name)
      implements AwsCredentialsProvider {
    @Override
    public AwsCredentials resolveCredentials() {
      try {
        return inner.resolveCredentials();
      } catch (RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
          if (t instanceof Failed) {
            throw e;
          }
        }
        throw SdkClientException.builder()
            .message("credential source failed: " + name + ": " + e.getMessage())
            .cause(new Failed(name, e))
            .build();
      }
    }
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
    if (unnamed instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
    sts.ifPresent(StsClient::close);
  }
}
