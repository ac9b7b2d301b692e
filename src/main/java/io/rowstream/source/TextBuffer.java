package io.rowstream.source;

import java.io.Writer;

/** The generator's target: a Writer over a StringBuilder that is emptied after every row. */
final class TextBuffer extends Writer {
  private final StringBuilder text = new StringBuilder(512);

  @Override
  public void write(char[] chars, int off, int len) {
    text.append(chars, off, len);
  }

  @Override
  public void write(String s, int off, int len) {
    text.append(s, off, off + len);
  }

  @Override
  public void write(int c) {
    text.append((char) c);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  String take() {
    String s = text.toString();
    text.setLength(0);
    return s;
  }

  void clear() {
    text.setLength(0);
  }
}
