package io.rowstream.cli;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The command line's stdout and stderr: every line is scrubbed of secrets ({@link Redactor}) before
 * it is written, whatever command, server or driver produced it. Lines are held until their end (or
 * a flush), so a secret printed in pieces is still seen whole.
 */
final class RedactingWriter extends Writer {
  private final PrintWriter target;
  private final StringBuilder line = new StringBuilder();
  private volatile Redactor redactor = Redactor.SHAPES_ONLY;

  private RedactingWriter(PrintWriter target) {
    this.target = requireNonNull(target, "target is null");
  }

  /** A print writer over {@code target} that scrubs what it prints; flushes at each println. */
  static PrintWriter over(PrintWriter target) {
    return new Output(new RedactingWriter(target));
  }

  /** From now on, scrubs the secrets {@code redactor} knows (a config's, once it is read). */
  static void use(PrintWriter writer, Redactor redactor) {
    if (writer instanceof Output output) {
      output.redacting.redactor = requireNonNull(redactor, "redactor is null");
    }
  }

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      line.append(c);
      if (c == '\n' || c == '\r') {
        emit();
      }
    }
  }

  private void emit() {
    if (line.length() > 0) {
      target.write(redactor.scrub(line.toString()));
      line.setLength(0);
    }
  }

  @Override
  public synchronized void flush() {
    emit();
    target.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
  }

  /** The print writer picocli is given; knows its redacting writer. */
  private static final class Output extends PrintWriter {
    private final RedactingWriter redacting;

    Output(RedactingWriter redacting) {
      super(redacting, true);
      this.redacting = redacting;
    }
  }
}
