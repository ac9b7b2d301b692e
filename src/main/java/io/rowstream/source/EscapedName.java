package io.rowstream.source;

import com.fasterxml.jackson.core.SerializableString;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A field name whose quoted form keeps lone surrogates as escapes. Only the char forms are needed:
 * the generator writes to a Writer.
 */
record EscapedName(String name, char[] quoted) implements SerializableString {
  @Override
  public String getValue() {
    return name;
  }

  @Override
  public int charLength() {
    return name.length();
  }

  @Override
  public char[] asQuotedChars() {
    return quoted.clone();
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    if (offset + quoted.length > buffer.length) {
      return -1;
    }
    System.arraycopy(quoted, 0, buffer, offset, quoted.length);
    return quoted.length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    if (offset + name.length() > buffer.length) {
      return -1;
    }
    name.getChars(0, name.length(), buffer, offset);
    return name.length();
  }

  @Override
  public byte[] asUnquotedUTF8() {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("written to a Writer only");
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("written to a Writer only");
  }
}
