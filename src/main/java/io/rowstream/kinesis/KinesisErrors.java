package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.core.RowstreamException.Kind;
import io.rowstream.delivery.DestinationException;
import io.rowstream.delivery.ErrorCodes;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps SDK exceptions to retryable or fatal errors with messages a user can act on, by the shared
 * taxonomy of {@link ErrorCodes}. The error code, HTTP status and request id travel along for the
 * call record.
 */
final class KinesisErrors {
  /** The code of a call that timed out without an answer. */
  static final String TIMEOUT = "RequestTimeout";

  private KinesisErrors() {}

  /** A {@link DestinationException} that can also be turned fatal when retries cannot apply. */
  static final class Classified extends DestinationException {
    Classified(Kind kind, String message, Throwable cause) {
      this(kind, message, cause, null, 0, Optional.empty());
    }

    Classified(Kind kind, String message, Throwable cause, String code, int status, Optional<String> requestId) {
      super(kind, message, cause, code, status, requestId);
    }

    RowstreamException asFatal() {
      return kind() == Kind.FATAL ? this : new Classified(Kind.FATAL, getMessage(), getCause(), errorCode(),
          httpStatus(), requestId());
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
      Optional<String> requestId = Optional.ofNullable(service.requestId())
          .filter(id -> !id.isEmpty() && !"UNKNOWN".equals(id));
      if ("ResourceNotFoundException".equals(code)) {
        return new Classified(Kind.FATAL, "stream '" + stream + "' was not found in " + where
            + " (destination " + config.name() + "); create it, or fix the sync's stream:", e, code, status, requestId);
      }
      if (ErrorCodes.isCredentials(code)) {
        return new Classified(Kind.FATAL, "the credentials of destination " + config.name()
            + " were refused (" + code + "): check the access key, secret and session token, or that they have not expired",
            e, code, status, requestId);
      }
      if ("AccessDeniedException".equals(code) || status == 403 && !ErrorCodes.isKms(code)) {
        return new Classified(Kind.FATAL, "access denied: the credentials of destination " + config.name()
            + " may not call kinesis:" + operation + (stream == null ? "" : " on stream '" + stream + "'")
            + "; grant it in the IAM policy (" + message + ")", e, code == null ? "AccessDeniedException" : code, status,
            requestId);
      }
      if (ErrorCodes.isKms(code)) {
        return new Classified(Kind.FATAL, "stream '" + stream + "' is encrypted and its KMS key refused the request ("
            + code + ": " + message + "); check the key's state and the credentials' kms:GenerateDataKey permission",
            e, code, status, requestId);
      }
      if (ErrorCodes.isRetryable(code, status)) {
        return new Classified(Kind.RETRYABLE, operation + " failed in " + where + ": " + (code == null ? "HTTP " + status : code)
            + (message == null ? "" : ": " + message), e, code, status, requestId);
      }
      return new Classified(Kind.FATAL, operation + " was refused in " + where + ": " + code
          + (message == null ? "" : ": " + message), e, code, status, requestId);
    }
    if (e instanceof SdkClientException && isCredentialsProblem(e)) {
      return new Classified(Kind.FATAL, "no AWS credentials for destination " + config.name()
          + ": set credentials in rowstream.yaml, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a profile", e);
    }
    if (isTimeout(e)) {
      return new Classified(Kind.RETRYABLE, "no answer from the Kinesis endpoint in " + where + " in time: "
          + rootMessage(e), e, TIMEOUT, 0, Optional.empty());
    }
    return new Classified(Kind.RETRYABLE, "cannot reach the Kinesis endpoint in " + where + ": " + rootMessage(e), e,
        DestinationException.NO_RESPONSE, 0, Optional.empty());
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException
          || t instanceof SocketTimeoutException) {
        return true;
      }
      if (t instanceof ConnectException || t instanceof SocketException && !(t instanceof SocketTimeoutException)) {
        return false;
      }
    }
    return false;
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
