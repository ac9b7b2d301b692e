package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** One thing wrong with a config file: where it is and what would be valid. */
public record ConfigProblem(Path file, int line, String key, String message) {
  public ConfigProblem {
    requireNonNull(file, "file is null");
    requireNonNull(key, "key is null");
    requireNonNull(message, "message is null");
  }

  /** {@code rowstream.yaml:12: syncs.customers.on: ...}, the form editors link to. */
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line : file.toString();
    return key.isEmpty() ? where + ": " + message : where + ": " + key + ": " + message;
  }
}
