package io.rowstream.cli;

import io.rowstream.config.ConfigProblem;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.RowstreamException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads the config. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE", description = "config file (default: ./rowstream.yaml)",
      defaultValue = "rowstream.yaml")
  Path file;

  /** The config, or a USER error listing every problem (exit 2, before anything runs). */
  RowstreamConfig load() {
    ConfigResult result = ConfigReader.read(file);
    if (!result.ok()) {
      StringBuilder message = new StringBuilder("the config has ").append(result.problems().size())
          .append(result.problems().size() == 1 ? " problem:" : " problems:");
      for (ConfigProblem p : result.problems()) {
        message.append(System.lineSeparator()).append("  ").append(p);
      }
      throw RowstreamException.user(message.toString());
    }
    return result.config().orElseThrow();
  }
}
