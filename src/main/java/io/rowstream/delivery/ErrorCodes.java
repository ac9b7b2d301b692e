package io.rowstream.delivery;

import java.util.Set;

/**
 * The error taxonomy of AWS error codes, free of the SDK so that the producer and the Kinesis
 * gateway share it. Retryable: throttling, internal failures, 5xx, timeouts and lost connections.
 * Fatal: the stream, the permissions, the KMS key or the credentials are wrong, which no retry can
 * mend. Anything else refuses only the request or the record it names.
 */
public final class ErrorCodes {
  /** Codes that mean "slow down"; besides a retry they lower the sending rate. */
  static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
      "LimitExceededException", "KMSThrottlingException", "Throttling", "TooManyRequestsException",
      "RequestLimitExceeded", "SlowDown");

  static final Set<String> TRANSIENT = Set.of("InternalFailure", "InternalFailureException", "InternalServerError",
      "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException",
      DestinationException.NO_RESPONSE);

  static final Set<String> CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidSignatureException",
      "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
      "InvalidClientTokenId", "IncompleteSignature", "IncompleteSignatureException", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "RequestExpired", "AuthFailure");

  /** Codes of a request refused because of what it holds: some record in it is invalid. */
  static final Set<String> INVALID_REQUEST = Set.of("ValidationException", "InvalidArgumentException",
      "SerializationException");

  /** 400s that name the stream, the account or the caller, never a record. */
  static final Set<String> NOT_ABOUT_RECORDS = Set.of("ResourceNotFoundException", "ResourceInUseException",
      "AccessDeniedException", "UnknownOperationException", "UnsupportedOperation", "InvalidAction",
      "MissingAction", "OptInRequired", "NotAuthorized");

  private ErrorCodes() {}

  /**
   * The whole request was refused for what it holds: {@code ValidationException} or {@code
   * InvalidArgumentException}, or another HTTP 400 that is not throttling, credentials, access,
   * KMS or a missing stream. Splitting the request finds the records at fault.
   */
  public static boolean isInvalidRequest(String code, int httpStatus) {
    if (code != null && INVALID_REQUEST.contains(code)) {
      return true;
    }
    return httpStatus == 400 && !isThrottling(code, httpStatus) && !isCredentials(code) && !isKms(code)
        && (code == null || !NOT_ABOUT_RECORDS.contains(code));
  }

  public static boolean isThrottling(String code, int httpStatus) {
    return code != null && THROTTLING.contains(code) || httpStatus == 429;
  }

  /** Worth another attempt within the run's retry budget. */
  public static boolean isRetryable(String code, int httpStatus) {
    return isThrottling(code, httpStatus) || code != null && TRANSIENT.contains(code) || httpStatus >= 500;
  }

  /** The credentials themselves were refused: unknown key, bad signature, expired token. */
  public static boolean isCredentials(String code) {
    return code != null && CREDENTIALS.contains(code);
  }

  /** The stream's KMS key refused the request; {@code KMSThrottlingException} alone is retryable. */
  public static boolean isKms(String code) {
    return code != null && code.startsWith("KMS") && !THROTTLING.contains(code);
  }

  /** Ends the run: no record of this stream can be stored until someone fixes the cause. */
  public static boolean isFatal(String code, int httpStatus) {
    if (isRetryable(code, httpStatus)) {
      return false;
    }
    return "ResourceNotFoundException".equals(code) || "AccessDeniedException".equals(code)
        || isCredentials(code) || isKms(code) || httpStatus == 403;
  }
}
