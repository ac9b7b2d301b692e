package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.run.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The README's "## Commands" and picocli's model of the command line agree: every command, each of
 * its options (every name) and parameters is in the synopsis with what it does, the synopsis names
 * nothing that does not exist, and the exit codes are those the code returns.
 */
class ReadmeCommandsTest {
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)");

  private static String section() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String commands = readme.substring(readme.indexOf("\n## Commands\n"));
    int end = commands.indexOf("\n## ", 1);
    return end < 0 ? commands : commands.substring(0, end);
  }

  /** Each entry of the synopsis block: its command line, then its description lines. */
  private static List<String> entries() throws IOException {
    String section = section();
    int start = section.indexOf("```\n") + 4;
    String block = section.substring(start, section.indexOf("```", start));
    List<String> entries = new ArrayList<>();
    for (String line : block.split("\n")) {
      if (line.startsWith("rowstream ")) {
        entries.add(line);
      } else if (!line.isBlank()) {
        int last = entries.size() - 1;
        entries.set(last, entries.get(last) + "\n" + line);
      }
    }
    return entries;
  }

  /** Every command, picocli's help too, by its path after {@code rowstream} ("alerts test"). */
  private static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> all = new LinkedHashMap<>();
    collect(new CommandLine(new Main()).getCommandSpec(), "", all);
    return all;
  }

  private static void collect(CommandSpec spec, String path, Map<String, CommandSpec> all) {
    for (CommandLine sub : spec.subcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      String name = (path + " " + s.name()).strip();
      if (all.putIfAbsent(name, s) == null) {
        collect(s, name, all);
      }
    }
  }

  /** The entries of one command: those its path starts, not those of a subcommand of it. */
  private static List<String> entriesOf(String command, Map<String, CommandSpec> all)
      throws IOException {
    List<String> found = new ArrayList<>();
    for (String entry : entries()) {
      String words = entry.substring("rowstream ".length());
      if (commandOf(words, all).equals(command)) {
        found.add(entry);
      }
    }
    return found;
  }

  /** The longest command path that {@code words} start with. */
  private static String commandOf(String words, Map<String, CommandSpec> all) {
    String best = "";
    for (String path : all.keySet()) {
      if ((words.equals(path) || words.startsWith(path + " ") || words.startsWith(path + "\n"))
          && path.length() > best.length()) {
        best = path;
      }
    }
    return best;
  }

  private static boolean isOwn(OptionSpec option) {
    return !option.inherited() && !option.usageHelp() && !option.versionHelp();
  }

  @Test
  void everyCommandWithEachOptionNameAndParameterIsInTheSynopsisWithWhatItDoes()
      throws IOException {
    Map<String, CommandSpec> all = commands();
    assertThat(all).containsKeys("run", "serve", "read", "alerts", "alerts test");

    all.forEach(
        (command, spec) -> {
          List<String> entries;
          try {
            entries = entriesOf(command, all);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          assertThat(entries).as("README synopsis of rowstream %s", command).isNotEmpty();
          String text = String.join("\n", entries);
          for (OptionSpec option : spec.options()) {
            if (isOwn(option)) {
              for (String name : option.names()) {
                assertThat(text)
                    .as("rowstream %s documents %s", command, name)
                    .containsPattern("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])");
              }
            }
          }
          for (PositionalParamSpec parameter : spec.positionalParameters()) {
            String label = parameter.paramLabel().replaceAll("[<>]", "");
            assertThat(text).as("rowstream %s documents %s", command, label).contains(label);
          }
          assertThat(entries)
              .as("each entry of rowstream %s says what it does", command)
              .allSatisfy(
                  entry ->
                      assertThat(entry.contains("\n") || entry.matches("(?s).*\\S {2,}\\w.*"))
                          .as(entry)
                          .isTrue());
        });
  }

  @Test
  void theSynopsisNamesNoCommandOrOptionThatDoesNotExist() throws IOException {
    Map<String, CommandSpec> all = commands();
    for (String entry : entries()) {
      String synopsis = entry.split("\n")[0].split(" {2,}")[0];
      String command = commandOf(synopsis.substring("rowstream ".length()), all);
      assertThat(command).as("the command of: %s", entry).isNotEmpty();
      CommandSpec spec = all.get(command);
      Matcher option = OPTION.matcher(synopsis);
      while (option.find()) {
        assertThat(spec.findOption(option.group(1)))
            .as("rowstream %s has option %s", command, option.group(1))
            .isNotNull();
      }
    }
  }

  @Test
  void theGlobalOptionsAndHelpAreDocumented() throws IOException {
    String section = section();
    List<String> global =
        new CommandLine(new Main())
            .getCommandSpec().options().stream()
                .flatMap(o -> List.of(o.names()).stream())
                .collect(Collectors.toList());

    assertThat(global).contains("--config", "--help", "--version");
    assertThat(global)
        .allSatisfy(
            name -> assertThat(section).containsPattern("`" + Pattern.quote(name) + "[ `]"));
    assertThat(section).contains("`rowstream help COMMAND`");
  }

  @Test
  void theExitCodesAreThoseTheCodeReturns() throws IOException {
    String section = section().replaceAll("\\s+", " ");
    assertThat(section)
        .contains(
            "`" + RunSummary.Status.SUCCEEDED.exitCode() + "` succeeded",
            "`" + RunSummary.Status.FAILED.exitCode() + "` failed",
            "`" + Main.EXIT_USAGE + "` usage or config error",
            "`"
                + RunSummary.Status.COMPLETED_WITH_ERRORS.exitCode()
                + "` completed with rejected rows",
            "`143` / `130` a run cancelled by SIGTERM / SIGINT");

    assertThat(exitCode("no-such-command")).isEqualTo(Main.EXIT_USAGE);
    assertThat(exitCode("read", "events", "s", "-n", "-1")).isEqualTo(Main.EXIT_USAGE);
    assertThat(exitCode("validate", "--config", "does-not-exist.yaml")).isEqualTo(Main.EXIT_USAGE);
    assertThat(exitCode("--version")).isEqualTo(Main.EXIT_OK);
  }

  private static int exitCode(String... args) {
    StringWriter sink = new StringWriter();
    return Main.execute(args, new PrintWriter(sink), new PrintWriter(sink));
  }
}
