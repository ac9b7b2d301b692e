package io.rowstream.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the config reader checks of files and folders: encoding, readability, the state folder. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** The 1-based line of the first byte sequence that is not UTF-8; 0 when unknown. */
  static int firstNonUtf8Line(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return 0;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int line = 1;
    int start = 0;
    // a newline byte never occurs inside a UTF-8 sequence, so each line decodes on its own
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        try {
          decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
        } catch (CharacterCodingException e) {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return 0;
  }

  /** An I/O error in words: {@code permission denied}, not an exception's class name. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied; give this user read access to it";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Why Rowstream could not keep its state in {@code dir}, if it could not: a file where a folder
   * must be, or a folder this user may not write. Creates nothing.
   */
  static Optional<String> unwritableFolder(Path dir) {
    Path existing = dir.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.empty();
    }
    if (!Files.isDirectory(existing)) {
      return Optional.of(
          "cannot keep the state in "
              + dir
              + ": "
              + existing
              + " is a file, not a folder; point "
              + "state: at a folder");
    }
    if (!Files.isWritable(existing)) {
      return Optional.of(
          "cannot keep the state in "
              + dir
              + ": this user may not write in "
              + existing
              + "; fix its permissions, or point state: at a folder this user may write");
    }
    return Optional.empty();
  }
}
