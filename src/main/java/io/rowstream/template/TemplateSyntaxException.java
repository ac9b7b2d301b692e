package io.rowstream.template;

/** A template that does not parse: where (1-based line and column) and why. */
public final class TemplateSyntaxException extends RuntimeException {
  private final int line;
  private final int column;
  private final String reason;

  public TemplateSyntaxException(String reason, int line, int column) {
    super("line " + line + ", column " + column + ": " + reason);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the position. */
  public String reason() {
    return reason;
  }
}
