package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.core.RowstreamException.Kind;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps SDK exceptions to retryable or fatal errors with messages a user can act on. */
final class KinesisErrors {
  private static final Set<String> RETRYABLE_CODES = Set.of("ProvisionedThroughputExceededException",
      "LimitExceededException", "InternalFailure", "InternalFailureException", "ServiceUnavailable",
      "ServiceUnavailableException", "ThrottlingException", "RequestTimeout", "RequestTimeoutException");
  private static final Set<String> CREDENTIAL_CODES = Set.of("UnrecognizedClientException",
      "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationToken",
      "InvalidClientTokenId", "IncompleteSignature");

  private KinesisErrors() {}

  /** A {@link RowstreamException} that can also be turned fatal when retries cannot apply. */
  static final class Classified extends RowstreamException {
    Classified(Kind kind, String message, Throwable cause) {
      super(kind, message, cause);
    }

    RowstreamException asFatal() {
      return kind() == Kind.FATAL ? this : RowstreamException.fatal(getMessage(), getCause());
    }
  }

  static Classified classify(SdkException e, String operation, String stream, DestinationConfig config) {
    String where = "region " + config.region() + config.endpoint().map(u -> " at " + u).orElse("");
    var role = CredentialSource.roleFailure(e, config);
    if (role.isPresent()) {
      return new Classified(role.get().retryable() ? Kind.RETRYABLE : Kind.FATAL, role.get().message(), e);
    }
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage();
      int status = service.statusCode();
      if ("ResourceNotFoundException".equals(code)) {
        return new Classified(Kind.FATAL, "stream '" + stream + "' was not found in " + where
            + " (destination " + config.name() + "); create it, or fix the sync's stream:", e);
      }
      if ("AccessDeniedException".equals(code) || status == 403 && !CREDENTIAL_CODES.contains(code)) {
        return new Classified(Kind.FATAL, "access denied: the credentials of destination " + config.name()
            + " may not call kinesis:" + operation + (stream == null ? "" : " on stream '" + stream + "'")
            + "; grant it in the IAM policy (" + message + ")", e);
      }
      if (CREDENTIAL_CODES.contains(code)) {
        return new Classified(Kind.FATAL, "the credentials of destination " + config.name()
            + " were refused (" + code + "): check the access key, secret and session token, or that they have not expired", e);
      }
      if (code != null && code.startsWith("KMS")) {
        return new Classified(Kind.FATAL, "stream '" + stream + "' is encrypted and its KMS key refused the request ("
            + code + ": " + message + "); check the key's state and the credentials' kms:GenerateDataKey permission", e);
      }
      if (RETRYABLE_CODES.contains(code) || status >= 500 || status == 429) {
        return new Classified(Kind.RETRYABLE, operation + " failed in " + where + ": " + (code == null ? "HTTP " + status : code)
            + (message == null ? "" : ": " + message), e);
      }
      return new Classified(Kind.FATAL, operation + " was refused in " + where + ": " + code
          + (message == null ? "" : ": " + message), e);
    }
    if (e instanceof SdkClientException && isCredentialsProblem(e)) {
      return new Classified(Kind.FATAL, "no AWS credentials for destination " + config.name()
          + ": set credentials in rowstream.yaml, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a profile", e);
    }
    return new Classified(Kind.RETRYABLE, "cannot reach the Kinesis endpoint in " + where + ": " + rootMessage(e), e);
  }

  private static boolean isCredentialsProblem(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("Unable to load credentials") || message.contains("credentials provider");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? m : root.getClass().getSimpleName() + ": " + m;
  }
}
