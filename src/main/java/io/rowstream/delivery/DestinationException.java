package io.rowstream.delivery;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.util.Optional;

/**
 * A whole call to the destination failed, with its {@link ErrorCode}. Carries what the call record
 * needs: the error code ({@code ThrottlingException}, {@code AccessDeniedException}, ... or {@link
 * #NO_RESPONSE} when no answer came), the HTTP status (0 without a response) and the AWS request id
 * when there was one.
 */
public class DestinationException extends RowstreamException {
  /** The code of a call that got no answer at all: timeout, connection refused, reset or lost. */
  public static final String NO_RESPONSE = "NoResponse";

  private final String errorCode;
  private final int httpStatus;
  private final Optional<String> requestId;

  /**
   * An error whose {@link ErrorCode} follows from its AWS error code and status ({@link
   * ErrorCodes}).
   */
  public DestinationException(
      Kind kind,
      String message,
      Throwable cause,
      String errorCode,
      int httpStatus,
      Optional<String> requestId) {
    this(
        ErrorCodes.classify(errorCode, httpStatus).code(),
        kind,
        message,
        cause,
        errorCode,
        httpStatus,
        requestId);
  }

  public DestinationException(
      ErrorCode code,
      Kind kind,
      String message,
      Throwable cause,
      String errorCode,
      int httpStatus,
      Optional<String> requestId) {
    super(code, kind, message, cause);
    this.errorCode =
        errorCode == null ? (httpStatus == 0 ? NO_RESPONSE : "HTTP " + httpStatus) : errorCode;
    this.httpStatus = httpStatus;
    this.requestId = requestId == null ? Optional.empty() : requestId;
  }

  public String errorCode() {
    return errorCode;
  }

  /** 0 when no response came. */
  public int httpStatus() {
    return httpStatus;
  }

  public Optional<String> requestId() {
    return requestId;
  }

  /**
   * Whether the destination answered at all; a call without an answer says nothing of its health.
   */
  public boolean answered() {
    return httpStatus != 0;
  }
}
