package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A whole {@code rowstream.yaml}, valid and with every reference resolved. */
public record RowstreamConfig(
    Path file,
    Path stateDir,
    Map<String, SourceConfig> sources,
    Map<String, DestinationConfig> destinations,
    Map<String, SyncConfig> syncs,
    Duration retention,
    AlertsConfig alerts,
    ServerConfig server,
    int debugDataBytes,
    StateConfig state,
    Map<String, SyncLogConfig> syncLogs) {

  public static final String DEFAULT_STATE_DIR = ".rowstream";

  /**
   * Bytes of each record's data the run history keeps for the debugger ({@code debug_data_bytes});
   * the same default as the history's.
   */
  public static final int DEFAULT_DEBUG_DATA_BYTES = 1024;

  /** How long runs, their rejections and their API calls are kept in the state. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  public RowstreamConfig {
    requireNonNull(file, "file is null");
    requireNonNull(stateDir, "stateDir is null");
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
    syncs = Collections.unmodifiableMap(new LinkedHashMap<>(syncs));
    requireNonNull(retention, "retention is null");
    requireNonNull(alerts, "alerts is null");
    requireNonNull(server, "server is null");
    if (debugDataBytes < 0) {
      throw new IllegalArgumentException("debugDataBytes must be 0 or more");
    }
    requireNonNull(state, "state is null");
    syncLogs = Map.copyOf(syncLogs);
  }

  /** Where {@code sync}'s log goes after each run, if it writes one ({@code sync_log:}). */
  public java.util.Optional<SyncLogConfig> syncLog(String sync) {
    return java.util.Optional.ofNullable(syncLogs.get(sync));
  }

  /**
   * A config of {@code file} with its state under {@code stateDir}, and every other part at its
   * default: no sources, destinations, syncs or sync logs, {@link #DEFAULT_RETENTION}, no alerts,
   * {@link ServerConfig#DEFAULTS}, {@link #DEFAULT_DEBUG_DATA_BYTES}, and the embedded state in
   * {@code stateDir}.
   */
  public static Builder builder(Path file, Path stateDir) {
    return new Builder(file, stateDir);
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    return new Builder(file, stateDir)
        .sources(sources)
        .destinations(destinations)
        .syncs(syncs)
        .retention(retention)
        .alerts(alerts)
        .server(server)
        .debugDataBytes(debugDataBytes)
        .state(state)
        .syncLogs(syncLogs);
  }

  /** Builds a config; the defaults are those of {@link #builder}. */
  public static final class Builder {
    private final Path file;
    private final Path stateDir;
    private Map<String, SourceConfig> sources = Map.of();
    private Map<String, DestinationConfig> destinations = Map.of();
    private Map<String, SyncConfig> syncs = Map.of();
    private Duration retention = DEFAULT_RETENTION;
    private AlertsConfig alerts = AlertsConfig.NONE;
    private ServerConfig server = ServerConfig.DEFAULTS;
    private int debugDataBytes = DEFAULT_DEBUG_DATA_BYTES;

    /** Null until set: the embedded state in {@code stateDir}. */
    private StateConfig state;

    private Map<String, SyncLogConfig> syncLogs = Map.of();

    private Builder(Path file, Path stateDir) {
      this.file = requireNonNull(file, "file is null");
      this.stateDir = requireNonNull(stateDir, "stateDir is null");
    }

    public Builder sources(Map<String, SourceConfig> sources) {
      this.sources = requireNonNull(sources, "sources is null");
      return this;
    }

    public Builder destinations(Map<String, DestinationConfig> destinations) {
      this.destinations = requireNonNull(destinations, "destinations is null");
      return this;
    }

    public Builder syncs(Map<String, SyncConfig> syncs) {
      this.syncs = requireNonNull(syncs, "syncs is null");
      return this;
    }

    public Builder retention(Duration retention) {
      this.retention = requireNonNull(retention, "retention is null");
      return this;
    }

    public Builder alerts(AlertsConfig alerts) {
      this.alerts = requireNonNull(alerts, "alerts is null");
      return this;
    }

    public Builder server(ServerConfig server) {
      this.server = requireNonNull(server, "server is null");
      return this;
    }

    public Builder debugDataBytes(int debugDataBytes) {
      this.debugDataBytes = debugDataBytes;
      return this;
    }

    public Builder state(StateConfig state) {
      this.state = requireNonNull(state, "state is null");
      return this;
    }

    /** Where syncs write their logs after each run, by sync name; none by default. */
    public Builder syncLogs(Map<String, SyncLogConfig> syncLogs) {
      this.syncLogs = requireNonNull(syncLogs, "syncLogs is null");
      return this;
    }

    public RowstreamConfig build() {
      return new RowstreamConfig(
          file,
          stateDir,
          sources,
          destinations,
          syncs,
          retention,
          alerts,
          server,
          debugDataBytes,
          state == null ? StateConfig.embedded(stateDir) : state,
          syncLogs);
    }
  }

  public SyncConfig sync(String name) {
    SyncConfig sync = syncs.get(name);
    if (sync == null) {
      throw RowstreamException.user(
          ErrorCode.NOT_FOUND,
          "no sync named '"
              + name
              + "' in "
              + file
              + "; the syncs are: "
              + String.join(", ", syncs.keySet()));
    }
    return sync;
  }

  public DestinationConfig destination(String name) {
    DestinationConfig destination = destinations.get(name);
    if (destination == null) {
      throw RowstreamException.user(
          ErrorCode.NOT_FOUND,
          "no destination named '"
              + name
              + "' in "
              + file
              + "; the destinations are: "
              + String.join(", ", destinations.keySet()));
    }
    return destination;
  }

  /**
   * Every secret value of this config, so that any text can be scrubbed of them: passwords, secret
   * keys, session tokens, external ids, and what the user info or password parameters of its URLs
   * hold. Sections that add secrets (tokens, webhook URLs) add them here.
   */
  public List<String> secretValues() {
    List<String> values = new ArrayList<>();
    for (SourceConfig s : sources.values()) {
      s.password().ifPresent(p -> values.add(p.reveal()));
      s.url().ifPresent(u -> values.addAll(Redactor.secretsOf(u)));
    }
    for (DestinationConfig d : destinations.values()) {
      values.addAll(d.secretValues());
    }
    values.addAll(alerts.secretValues());
    server.apiToken().ifPresent(t -> values.add(t.reveal()));
    values.addAll(state.secretValues());
    return values;
  }

  /** Scrubs this config's secrets, and secret-shaped text, from anything printed or stored. */
  public Redactor redactor() {
    return Redactor.of(secretValues());
  }

  public SourceConfig source(String name) {
    return requireNonNull(sources.get(name), "source " + name);
  }
}
