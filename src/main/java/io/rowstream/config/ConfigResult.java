package io.rowstream.config;

import java.util.List;
import java.util.Optional;

/** The outcome of loading a config: the config when there is no problem, else the problems. */
public record ConfigResult(Optional<RowstreamConfig> config, List<ConfigProblem> problems) {
  public ConfigResult {
    problems = List.copyOf(problems);
    if (config.isPresent() != problems.isEmpty()) {
      throw new IllegalArgumentException(
          "a config comes with no problems, problems with no config");
    }
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
