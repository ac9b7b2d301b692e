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

  /** A config whose syncs write no sync log. */
  public RowstreamConfig(
      Path file,
      Path stateDir,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations,
      Map<String, SyncConfig> syncs,
      Duration retention,
      AlertsConfig alerts,
      ServerConfig server,
      int debugDataBytes,
      StateConfig state) {
    this(
        file,
        stateDir,
        sources,
        destinations,
        syncs,
        retention,
        alerts,
        server,
        debugDataBytes,
        state,
        Map.of());
  }

  /** Where {@code sync}'s log goes after each run, if it writes one ({@code sync_log:}). */
  public java.util.Optional<SyncLogConfig> syncLog(String sync) {
    return java.util.Optional.ofNullable(syncLogs.get(sync));
  }

  /** A config whose state is the embedded one in {@code stateDir}. */
  public RowstreamConfig(
      Path file,
      Path stateDir,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations,
      Map<String, SyncConfig> syncs,
      Duration retention,
      AlertsConfig alerts,
      ServerConfig server,
      int debugDataBytes) {
    this(
        file,
        stateDir,
        sources,
        destinations,
        syncs,
        retention,
        alerts,
        server,
        debugDataBytes,
        StateConfig.embedded(stateDir));
  }

  public RowstreamConfig(
      Path file,
      Path stateDir,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations,
      Map<String, SyncConfig> syncs,
      Duration retention,
      AlertsConfig alerts,
      ServerConfig server) {
    this(
        file,
        stateDir,
        sources,
        destinations,
        syncs,
        retention,
        alerts,
        server,
        DEFAULT_DEBUG_DATA_BYTES);
  }

  public RowstreamConfig(
      Path file,
      Path stateDir,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations,
      Map<String, SyncConfig> syncs,
      Duration retention) {
    this(
        file,
        stateDir,
        sources,
        destinations,
        syncs,
        retention,
        AlertsConfig.NONE,
        ServerConfig.DEFAULTS);
  }

  public RowstreamConfig(
      Path file,
      Path stateDir,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations,
      Map<String, SyncConfig> syncs) {
    this(
        file,
        stateDir,
        sources,
        destinations,
        syncs,
        DEFAULT_RETENTION,
        AlertsConfig.NONE,
        ServerConfig.DEFAULTS);
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
