package io.rowstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code rowstream.yaml} into a {@link RowstreamConfig}, or into every problem it holds, each
 * with file, line and key. Nothing is connected to: this is what {@code validate} runs.
 */
public final class ConfigReader {

  private static final Duration MIN_RETENTION = Duration.ofHours(1);
  private static final Duration MAX_RETENTION = Duration.ofDays(3650);

  private final Path file;
  private final Map<String, String> env;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final AlertsSection alerts = new AlertsSection(this);

  private ConfigReader(Path file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Reads {@code file} with the process environment for {@code ${NAME}}. */
  public static ConfigResult read(Path file) {
    return read(file, System.getenv());
  }

  public static ConfigResult read(Path file, Map<String, String> env) {
    return new ConfigReader(file, env).read();
  }

  Map<String, String> env() {
    return env;
  }

  void problem(Node at, String key, String message) {
    problem(at == null ? 0 : at.getStartMark().getLine() + 1, key, message);
  }

  void problem(int line, String key, String message) {
    problems.add(new ConfigProblem(file, line, key, message));
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  private ConfigResult read() {
    Node root;
    if (Files.isDirectory(file)) {
      return failed(
          new ConfigProblem(
              file,
              0,
              "",
              "is a folder, not a file; pass --config "
                  + file.resolve("rowstream.yaml")
                  + ", or run `rowstream init` there"));
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(in);
    } catch (NoSuchFileException e) {
      return failed(
          new ConfigProblem(
              file,
              0,
              "",
              "file not found; run `rowstream init` to create one, or pass --config FILE"));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      return failed(new ConfigProblem(file, line, "", "not valid YAML: " + e.getProblem()));
    } catch (YAMLException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        return notUtf8();
      }
      return failed(new ConfigProblem(file, 0, "", "not valid YAML: " + e.getMessage()));
    } catch (CharacterCodingException e) {
      return notUtf8();
    } catch (IOException e) {
      return failed(new ConfigProblem(file, 0, "", "cannot be read: " + ConfigFiles.describe(e)));
    }
    if (!(root instanceof MappingNode)) {
      return failed(
          new ConfigProblem(
              file,
              root == null ? 0 : root.getStartMark().getLine() + 1,
              "",
              "must be a mapping with sources, destinations and syncs"));
    }
    YamlNode top = new YamlNode(this, "", root);
    top.allowOnly(
        "state",
        "retention",
        "debug_data_bytes",
        "sources",
        "destinations",
        "syncs",
        "alerts",
        "server",
        SyncLogSection.KEY);
    alerts.readTop(top);
    alerts.readServerPublicUrl(top);
    Duration retention = RowstreamConfig.DEFAULT_RETENTION;
    Optional<String> retentionText = top.string("retention");
    if (retentionText.isPresent()) {
      Optional<Duration> parsed = ConfigValues.parseDuration(retentionText.get());
      if (parsed.isEmpty()
          || parsed.get().compareTo(MIN_RETENTION) < 0
          || parsed.get().compareTo(MAX_RETENTION) > 0) {
        top.problemAt(
            "retention",
            "'"
                + retentionText.get()
                + "' is not valid; expected how long runs and their "
                + "API calls are kept, from 1h to 3650d, such as 7d or 36h (default 7d)");
      } else {
        retention = parsed.get();
      }
    }
    int debugDataBytes =
        top.string("debug_data_bytes")
            .map(
                text ->
                    ConfigValues.wholeNumber(text, 0, SyncsSection.MAX_RECORD_BYTES_LIMIT)
                        .orElseGet(
                            () -> {
                              top.problemAt(
                                  "debug_data_bytes",
                                  "'"
                                      + text
                                      + "' is not valid; expected how many bytes of each record's"
                                      + " data the run history keeps for the debugger, from 0"
                                      + " (none) to "
                                      + SyncsSection.MAX_RECORD_BYTES_LIMIT
                                      + " (default "
                                      + RowstreamConfig.DEFAULT_DEBUG_DATA_BYTES
                                      + ")");
                              return RowstreamConfig.DEFAULT_DEBUG_DATA_BYTES;
                            }))
            .orElse(RowstreamConfig.DEFAULT_DEBUG_DATA_BYTES);
    Path base = file.toAbsolutePath().getParent();
    StateConfig state = StateSectionReader.read(top, base);

    Map<String, SourceConfig> sources = SourcesSection.read(top, base);
    SyncLogSection syncLogs = new SyncLogSection();
    syncLogs.readTop(top, sources);
    Map<String, DestinationConfig> destinations = new DestinationsSection(alerts).read(top);
    Map<String, SyncConfig> syncs =
        new SyncsSection(this, alerts, syncLogs).read(top, sources, destinations);
    ServerConfig server = ServiceConfigReader.server(top);

    if (!problems.isEmpty()) {
      List<ConfigProblem> sorted = new ArrayList<>(problems);
      sorted.sort(
          Comparator.comparingInt(
              ConfigProblem::line)); // stable: one line's problems keep their order
      return new ConfigResult(Optional.empty(), sorted);
    }
    return new ConfigResult(
        Optional.of(
            RowstreamConfig.builder(file, state.dir())
                .sources(sources)
                .destinations(destinations)
                .syncs(syncs)
                .retention(retention)
                .alerts(alerts.result())
                .server(server)
                .debugDataBytes(debugDataBytes)
                .state(state)
                .syncLogs(syncLogs.resolve(syncs.keySet()))
                .build()),
        List.of());
  }

  private ConfigResult notUtf8() {
    return failed(
        new ConfigProblem(
            file,
            ConfigFiles.firstNonUtf8Line(file),
            "",
            "is not UTF-8 text; save it as UTF-8 (a config holds names, SQL and templates, all UTF-8)"));
  }

  private ConfigResult failed(ConfigProblem problem) {
    return new ConfigResult(Optional.empty(), List.of(problem));
  }
}
