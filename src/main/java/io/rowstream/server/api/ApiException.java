package io.rowstream.server.api;

import io.rowstream.core.ErrorCode;

/** A request the API refuses: an HTTP status and one of the house's error codes. */
final class ApiException extends RuntimeException {
  final int status;
  final ErrorCode code;

  ApiException(int status, ErrorCode code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static ApiException notFound(String message) {
    return new ApiException(404, ErrorCode.NOT_FOUND, message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, ErrorCode.BAD_REQUEST, message);
  }

  static ApiException conflict(String message) {
    return new ApiException(409, ErrorCode.CONFLICT, message);
  }
}
