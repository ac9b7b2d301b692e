package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.core.RowstreamException.Kind;
import io.rowstream.delivery.DestinationException;
import io.rowstream.delivery.ErrorCodes;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps SDK exceptions to retryable or fatal errors, each with its {@link ErrorCode} and a message a
 * user can act on, by the one classifier of AWS errors ({@link ErrorCodes}); a failure to get
 * credentials names the credential source that failed ({@link CredentialSource#failure}). The error
 * code, HTTP status and request id travel along for the call record.
 */
final class KinesisErrors {
  /** The code of a call that timed out without an answer. */
  static final String TIMEOUT = "RequestTimeout";

  private KinesisErrors() {}

  /**
   * A {@link DestinationException} that can also be turned fatal when retries cannot apply, and
   * that keeps what Kinesis itself answered, if it answered: {@code rowstream check} words its
   * findings from that.
   */
  static final class Classified extends DestinationException {
    private final Optional<Service> service;

    /** What Kinesis answered: its error code (null when it gave none) and its own message. */
    record Service(String code, String message) {}

    Classified(ErrorCode code, Kind kind, String message, Throwable cause) {
      this(code, kind, message, cause, null, 0, Optional.empty(), Optional.empty());
    }

    Classified(
        ErrorCode code,
        Kind kind,
        String message,
        Throwable cause,
        String awsCode,
        int status,
        Optional<String> requestId,
        Optional<Service> service) {
      super(code, kind, message, cause, awsCode, status, requestId);
      this.service = service;
    }

    /** What Kinesis answered; empty when the call got no answer from it. */
    Optional<Service> service() {
      return service;
    }

    RowstreamException asFatal() {
      return kind() == Kind.FATAL
          ? this
          : new Classified(
              code(),
              Kind.FATAL,
              getMessage(),
              getCause(),
              errorCode(),
              httpStatus(),
              requestId(),
              service);
    }
  }

  static Classified classify(
      SdkException e, String operation, String stream, DestinationConfig config) {
    String where = "region " + config.region() + config.endpoint().map(u -> " at " + u).orElse("");
    var source = CredentialSource.failure(e, config);
    if (source.isPresent()) {
      return new Classified(
          source.get().code(),
          source.get().retryable() ? Kind.RETRYABLE : Kind.FATAL,
          source.get().message(),
          e);
    }
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message =
          service.awsErrorDetails() == null
              ? service.getMessage()
              : service.awsErrorDetails().errorMessage();
      int status = service.statusCode();
      Optional<String> requestId =
          Optional.ofNullable(service.requestId())
              .filter(id -> !id.isEmpty() && !"UNKNOWN".equals(id));
      ErrorCodes.Classification c = ErrorCodes.classify(code, status);
      Kind kind = c.retryable() ? Kind.RETRYABLE : Kind.FATAL;
      String text =
          switch (c.code()) {
            case STREAM_NOT_FOUND ->
                "stream '"
                    + stream
                    + "' was not found in "
                    + where
                    + " (destination "
                    + config.name()
                    + "); create it, or fix the sync's stream:";
            case CREDENTIALS_REFUSED ->
                "the credentials of destination "
                    + config.name()
                    + " were refused ("
                    + code
                    + "): check the access key, secret and session token, or that they have not expired";
            case ACCESS_DENIED ->
                "access denied: the credentials of destination "
                    + config.name()
                    + " may not call kinesis:"
                    + operation
                    + (stream == null ? "" : " on stream '" + stream + "'")
                    + "; grant it in the IAM policy ("
                    + message
                    + ")";
            case KMS_REFUSED ->
                "stream '"
                    + stream
                    + "' is encrypted and its KMS key refused the request ("
                    + code
                    + ": "
                    + message
                    + "); check the key's state and the credentials' kms:GenerateDataKey permission";
            default ->
                c.retryable()
                    ? operation
                        + " failed in "
                        + where
                        + ": "
                        + (code == null ? "HTTP " + status : code)
                        + (message == null ? "" : ": " + message)
                    : operation
                        + " was refused in "
                        + where
                        + ": "
                        + code
                        + (message == null ? "" : ": " + message);
          };
      String awsCode =
          code == null && c.code() == ErrorCode.ACCESS_DENIED ? "AccessDeniedException" : code;
      return new Classified(
          c.code(),
          kind,
          text,
          e,
          awsCode,
          status,
          requestId,
          Optional.of(new Classified.Service(code, message)));
    }
    if (isTimeout(e)) {
      return new Classified(
          ErrorCode.ENDPOINT_UNREACHABLE,
          Kind.RETRYABLE,
          "no answer from the Kinesis endpoint in " + where + " in time: " + rootMessage(e),
          e,
          TIMEOUT,
          0,
          Optional.empty(),
          Optional.empty());
    }
    if (isUnknownHost(e)) {
      // a name that does not resolve now will not resolve in a second either
      return new Classified(
          ErrorCode.ENDPOINT_UNREACHABLE,
          Kind.FATAL,
          "cannot reach the Kinesis endpoint in "
              + where
              + ": "
              + rootMessage(e)
              + "; check the destination's endpoint and region",
          e,
          DestinationException.NO_RESPONSE,
          0,
          Optional.empty(),
          Optional.empty());
    }
    return new Classified(
        ErrorCode.ENDPOINT_UNREACHABLE,
        Kind.RETRYABLE,
        "cannot reach the Kinesis endpoint in " + where + ": " + rootMessage(e),
        e,
        DestinationException.NO_RESPONSE,
        0,
        Optional.empty(),
        Optional.empty());
  }

  private static boolean isUnknownHost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApiCallAttemptTimeoutException
          || t instanceof ApiCallTimeoutException
          || t instanceof SocketTimeoutException) {
        return true;
      }
      if (t instanceof ConnectException
          || t instanceof SocketException && !(t instanceof SocketTimeoutException)) {
        return false;
      }
    }
    return false;
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
