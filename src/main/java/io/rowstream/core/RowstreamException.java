package io.rowstream.core;

import static java.util.Objects.requireNonNull;

/**
 * The one error type users see. The kind decides the exit code and whether a run may retry;
 * the message names what was wrong and what would be right, and never holds a secret.
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

  private final Kind kind;

  public RowstreamException(Kind kind, String message) {
    super(requireNonNull(message, "message is null"));
    this.kind = requireNonNull(kind, "kind is null");
  }

  public RowstreamException(Kind kind, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }

  public static RowstreamException user(String message) {
    return new RowstreamException(Kind.USER, message);
  }

  public static RowstreamException fatal(String message) {
    return new RowstreamException(Kind.FATAL, message);
  }

  public static RowstreamException fatal(String message, Throwable cause) {
    return new RowstreamException(Kind.FATAL, message, cause);
  }
}
