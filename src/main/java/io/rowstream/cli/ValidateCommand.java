package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check the config and templates; connects to nothing.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RowstreamConfig c = config.load();
    spec.commandLine()
        .getOut()
        .printf(
            "%s is valid: %d source(s), %d destination(s), %d sync(s)%n",
            c.file(), c.sources().size(), c.destinations().size(), c.syncs().size());
    return Main.EXIT_OK;
  }
}
