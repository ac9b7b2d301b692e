package io.rowstream.template;

/**
 * A render error raised inside filters and tags; the node that ran them adds the position and turns
 * it into a {@link TemplateRenderException}. No stack trace: it is control flow for a user error,
 * and cheap to throw.
 */
final class LiquidError extends RuntimeException {
  LiquidError(String message) {
    super(message, null, false, false);
  }
}
