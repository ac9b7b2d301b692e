package io.rowstream.template;

/** A render that failed: an error in a filter or tag, or a bound that was exceeded. */
public final class TemplateRenderException extends RuntimeException {
  public TemplateRenderException(String message) {
    super(message);
  }
}
