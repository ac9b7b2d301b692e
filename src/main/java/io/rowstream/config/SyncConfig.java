package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.EventType;
import java.util.Optional;
import java.util.Set;

/** One model to one stream. */
public record SyncConfig(
    String name,
    String source,
    String query,
    String primaryKey,
    String destination,
    String stream,
    Set<EventType> on,
    MessageSpec message,
    Optional<String> partitionKey,
    Optional<String> explicitHashKey,
    InitialSync initialSync,
    ScheduleSpec schedule,
    int maxRecordBytes,
    boolean paused) {

  /** Kinesis' own limit for data plus partition key, unless the stream is configured larger. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  /** What the first run of a sync does with the rows already in the model. */
  public enum InitialSync {
    /** Send every row as added. */
    BACKFILL,
    /** Record the rows as a baseline and send nothing. */
    SKIP
  }

  public SyncConfig {
    requireNonNull(name, "name is null");
    requireNonNull(source, "source is null");
    requireNonNull(query, "query is null");
    requireNonNull(primaryKey, "primaryKey is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(stream, "stream is null");
    on = Set.copyOf(on);
    requireNonNull(message, "message is null");
    requireNonNull(initialSync, "initialSync is null");
    requireNonNull(schedule, "schedule is null");
  }

  /** A sync not paused, with its schedule as the config writes it (empty: manual). */
  public SyncConfig(
      String name,
      String source,
      String query,
      String primaryKey,
      String destination,
      String stream,
      Set<EventType> on,
      MessageSpec message,
      Optional<String> partitionKey,
      Optional<String> explicitHashKey,
      InitialSync initialSync,
      Optional<String> schedule,
      int maxRecordBytes) {
    this(
        name,
        source,
        query,
        primaryKey,
        destination,
        stream,
        on,
        message,
        partitionKey,
        explicitHashKey,
        initialSync,
        schedule
            .map(
                text ->
                    ServiceConfigReader.parseSchedule(text)
                        .orElseThrow(
                            () -> new IllegalArgumentException("'" + text + "' is not a schedule")))
            .orElse(ScheduleSpec.MANUAL),
        maxRecordBytes,
        false);
  }
}
