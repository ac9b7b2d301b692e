package io.rowstream.core;

import static java.util.Objects.requireNonNull;

/**
 * The one error type users see. Its {@link ErrorCode} names the error in the one taxonomy (the
 * README's error table); its kind decides the exit code and whether a run may retry. The message
 * names what was wrong and what would be right, and never holds a secret.
 */
public class RowstreamException extends RuntimeException {
  /** How an error is handled. */
  public enum Kind {
    /** Bad config or usage: exit 2 before anything runs. */
    USER,
    /** The run cannot go on: it ends as failed, exit 1. */
    FATAL,
    /** Worth another attempt within the run's retry budget. */
    RETRYABLE
  }

  private final ErrorCode code;
  private final Kind kind;

  public RowstreamException(ErrorCode code, Kind kind, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
    this.kind = requireNonNull(kind, "kind is null");
  }

  /** An error whose code follows from its kind alone; prefer naming the code. */
  public RowstreamException(Kind kind, String message) {
    this(kind, message, null);
  }

  /** An error whose code follows from its kind alone; prefer naming the code. */
  public RowstreamException(Kind kind, String message, Throwable cause) {
    this(defaultCode(kind), kind, message, cause);
  }

  private static ErrorCode defaultCode(Kind kind) {
    return switch (requireNonNull(kind, "kind is null")) {
      case USER -> ErrorCode.USAGE_ERROR;
      case FATAL -> ErrorCode.INTERNAL_ERROR;
      case RETRYABLE -> ErrorCode.SERVICE_ERROR;
    };
  }

  public ErrorCode code() {
    return code;
  }

  public Kind kind() {
    return kind;
  }

  /** A mistake in the command line or the config: exit 2 before anything runs. */
  public static RowstreamException user(ErrorCode code, String message) {
    return new RowstreamException(code, Kind.USER, message, null);
  }

  /** The run or command cannot go on: exit 1. */
  public static RowstreamException fatal(ErrorCode code, String message) {
    return new RowstreamException(code, Kind.FATAL, message, null);
  }

  public static RowstreamException fatal(ErrorCode code, String message, Throwable cause) {
    return new RowstreamException(code, Kind.FATAL, message, cause);
  }

  /** A usage error ({@link ErrorCode#USAGE_ERROR}). */
  public static RowstreamException user(String message) {
    return user(ErrorCode.USAGE_ERROR, message);
  }

  /**
   * A fatal error of no more precise code ({@link ErrorCode#INTERNAL_ERROR}); prefer naming the
   * code.
   */
  public static RowstreamException fatal(String message) {
    return fatal(ErrorCode.INTERNAL_ERROR, message);
  }

  public static RowstreamException fatal(String message, Throwable cause) {
    return fatal(ErrorCode.INTERNAL_ERROR, message, cause);
  }
}
