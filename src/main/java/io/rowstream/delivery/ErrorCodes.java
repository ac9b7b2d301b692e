package io.rowstream.delivery;

import io.rowstream.core.ErrorCode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one classifier of AWS errors (Kinesis and STS), free of the SDK, used by the producer, the
 * Kinesis gateway and {@code rowstream check} alike: a short chain of rules, each of which knows a
 * family of AWS error codes and says which {@link ErrorCode} it is and how to handle it. The first
 * rule that knows an error decides; an error no rule knows refuses only the request or the record
 * it names ({@link ErrorCode#REQUEST_REFUSED}).
 *
 * <p>Retryable: throttling (which also lowers the sending rate, {@code KMSThrottlingException}
 * included), internal failures, 5xx, timeouts and lost connections. Fatal: the stream, the
 * permissions, the KMS key or the credentials are wrong, which no retry can mend.
 */
public final class ErrorCodes {
  /** How an AWS error is handled. */
  public enum Handling {
    /** Send again after a backoff, and slow down. */
    THROTTLED,
    /** Send again after a backoff. */
    RETRY,
    /** Nothing of this stream can be stored until someone fixes the cause: end the run. */
    FATAL,
    /** Only this request or record is refused. */
    REFUSED
  }

  /** An AWS error, classified. */
  public record Classification(ErrorCode code, Handling handling) {
    public boolean retryable() {
      return handling == Handling.THROTTLED || handling == Handling.RETRY;
    }
  }

  /**
   * One rule of the chain: the classification of an AWS error code and HTTP status, if it knows it.
   */
  @FunctionalInterface
  interface Rule {
    Optional<Classification> classify(String code, int httpStatus);
  }

  /** Codes that mean "slow down"; besides a retry they lower the sending rate. */
  static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "LimitExceededException",
          "KMSThrottlingException",
          "Throttling",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "SlowDown");

  static final Set<String> TRANSIENT =
      Set.of(
          "InternalFailure",
          "InternalFailureException",
          "InternalServerError",
          "ServiceUnavailable",
          "ServiceUnavailableException",
          "IDPCommunicationError");

  /** No answer came in time, or none at all. */
  static final Set<String> NO_ANSWER =
      Set.of(DestinationException.NO_RESPONSE, "RequestTimeout", "RequestTimeoutException");

  static final Set<String> CREDENTIALS =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "ExpiredTokenException",
          "ExpiredToken",
          "MissingAuthenticationToken",
          "MissingAuthenticationTokenException",
          "InvalidClientTokenId",
          "IncompleteSignature",
          "IncompleteSignatureException",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "RequestExpired",
          "AuthFailure");

  static final Set<String> ACCESS_DENIED = Set.of("AccessDeniedException", "AccessDenied");

  /** Codes of a request refused because of what it holds: some record in it is invalid. */
  static final Set<String> INVALID_REQUEST =
      Set.of("ValidationException", "InvalidArgumentException", "SerializationException");

  /** 400s that name the stream, the account or the caller, never a record. */
  static final Set<String> NOT_ABOUT_RECORDS =
      Set.of(
          "ResourceNotFoundException",
          "ResourceInUseException",
          "AccessDeniedException",
          "UnknownOperationException",
          "UnsupportedOperation",
          "InvalidAction",
          "MissingAction",
          "OptInRequired",
          "NotAuthorized");

  /** The chain, in order: the first rule that knows an error decides. */
  static final List<Rule> CHAIN =
      List.of(
          (code, status) ->
              THROTTLING.contains(code) || status == 429
                  ? Optional.of(new Classification(ErrorCode.THROTTLED, Handling.THROTTLED))
                  : Optional.empty(),
          (code, status) ->
              NO_ANSWER.contains(code)
                  ? Optional.of(new Classification(ErrorCode.ENDPOINT_UNREACHABLE, Handling.RETRY))
                  : Optional.empty(),
          (code, status) ->
              TRANSIENT.contains(code) || status >= 500
                  ? Optional.of(new Classification(ErrorCode.SERVICE_ERROR, Handling.RETRY))
                  : Optional.empty(),
          (code, status) ->
              CREDENTIALS.contains(code)
                  ? Optional.of(new Classification(ErrorCode.CREDENTIALS_REFUSED, Handling.FATAL))
                  : Optional.empty(),
          (code, status) ->
              "ResourceNotFoundException".equals(code)
                  ? Optional.of(new Classification(ErrorCode.STREAM_NOT_FOUND, Handling.FATAL))
                  : Optional.empty(),
          (code, status) ->
              code.startsWith("KMS")
                  ? Optional.of(new Classification(ErrorCode.KMS_REFUSED, Handling.FATAL))
                  : Optional.empty(),
          (code, status) ->
              ACCESS_DENIED.contains(code) || status == 403
                  ? Optional.of(new Classification(ErrorCode.ACCESS_DENIED, Handling.FATAL))
                  : Optional.empty());

  private static final Classification UNKNOWN =
      new Classification(ErrorCode.REQUEST_REFUSED, Handling.REFUSED);

  private ErrorCodes() {}

  /**
   * The classification of an AWS error code (null when the answer had none) with its HTTP status (0
   * when no answer came).
   */
  public static Classification classify(String code, int httpStatus) {
    String c = code == null ? "" : code;
    for (Rule rule : CHAIN) {
      Optional<Classification> found = rule.classify(c, httpStatus);
      if (found.isPresent()) {
        return found.get();
      }
    }
    return UNKNOWN;
  }

  /**
   * The whole request was refused for what it holds: {@code ValidationException} or {@code
   * InvalidArgumentException}, or another HTTP 400 that is not throttling, credentials, access, KMS
   * or a missing stream. Splitting the request finds the records at fault.
   */
  public static boolean isInvalidRequest(String code, int httpStatus) {
    if (code != null && INVALID_REQUEST.contains(code)) {
      return true;
    }
    return httpStatus == 400
        && !isThrottling(code, httpStatus)
        && !isCredentials(code)
        && !isKms(code)
        && (code == null || !NOT_ABOUT_RECORDS.contains(code));
  }

  public static boolean isThrottling(String code, int httpStatus) {
    return classify(code, httpStatus).handling() == Handling.THROTTLED;
  }

  /** Worth another attempt within the run's retry budget. */
  public static boolean isRetryable(String code, int httpStatus) {
    return classify(code, httpStatus).retryable();
  }

  /** The credentials themselves were refused: unknown key, bad signature, expired token. */
  public static boolean isCredentials(String code) {
    return classify(code, 400).code() == ErrorCode.CREDENTIALS_REFUSED;
  }

  /**
   * The stream's KMS key refused the request; {@code KMSThrottlingException} alone is retryable.
   */
  public static boolean isKms(String code) {
    return classify(code, 400).code() == ErrorCode.KMS_REFUSED;
  }

  /**
   * Access to an action was denied (AccessDenied, or a 403 that is neither credentials nor KMS).
   */
  public static boolean isAccessDenied(String code, int httpStatus) {
    return classify(code, httpStatus).code() == ErrorCode.ACCESS_DENIED;
  }

  /** Ends the run: no record of this stream can be stored until someone fixes the cause. */
  public static boolean isFatal(String code, int httpStatus) {
    return classify(code, httpStatus).handling() == Handling.FATAL;
  }
}
