package io.rowstream.cli;

import io.rowstream.config.ConfigProblem;
import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The config of the command that mixes this in, read from the global {@code --config FILE}
 * (declared once on {@link Main}, valid before or after the command).
 */
@Command
final class ConfigOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The config file named by {@code --config}, or ./rowstream.yaml. */
  Path file() {
    return command.root().userObject() instanceof Main main && main.configFile != null
        ? main.configFile
        : Path.of(Main.DEFAULT_CONFIG);
  }

  /**
   * The config, or a CONFIG_INVALID error listing every problem (exit 2, before anything runs).
   * From here on the command's output is scrubbed of the config's secrets.
   */
  RowstreamConfig load() {
    ConfigResult result = ConfigReader.read(file());
    if (!result.ok()) {
      StringBuilder message =
          new StringBuilder("the config has ")
              .append(result.problems().size())
              .append(result.problems().size() == 1 ? " problem:" : " problems:");
      for (ConfigProblem p : result.problems()) {
        message.append(System.lineSeparator()).append("  ").append(p);
      }
      throw RowstreamException.user(ErrorCode.CONFIG_INVALID, message.toString());
    }
    RowstreamConfig config = result.config().orElseThrow();
    Redactor redactor = config.redactor();
    RedactingWriter.use(command.commandLine().getOut(), redactor);
    RedactingWriter.use(command.commandLine().getErr(), redactor);
    return config;
  }
}
