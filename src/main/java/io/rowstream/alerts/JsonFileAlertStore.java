package io.rowstream.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.alerts.AlertState.RunFigures;
import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.alerts.AlertState.TriggerState;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code STATE_DIR/SYNC.alerts.json}: written to a temporary file, forced to disk and renamed over
 * the old one, so a crash leaves the old state or the new one.
 */
public final class JsonFileAlertStore implements AlertStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  /**
   * OS file locks are per process: two holders in one JVM would fail with
   * OverlappingFileLockException, so holders in this JVM queue here first.
   */
  private static final Map<Path, Object> IN_PROCESS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Path dir;

  public JsonFileAlertStore(Path stateDir) {
    this.dir = stateDir;
  }

  Path file(String sync) {
    return dir.resolve(sync + ".alerts.json");
  }

  @Override
  public AlertState load(String sync) {
    Path file = file(sync);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return AlertState.EMPTY;
    } catch (IOException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "the alert state of sync "
              + sync
              + " ("
              + file
              + ") cannot be read: "
              + e.getMessage()
              + "; move it aside to start from OK");
    }
    try {
      return read(root);
    } catch (RuntimeException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_CORRUPT,
          "the alert state of sync "
              + sync
              + " ("
              + file
              + ") is damaged ("
              + e
              + "); move it aside to start from OK");
    }
  }

  /** Holds {@code STATE_DIR/.SYNC.alerts.lock} (an OS file lock) while {@code work} runs. */
  @Override
  public <T> T locked(String sync, java.util.function.Supplier<T> work) {
    Path lockFile = dir.resolve("." + sync + ".alerts.lock");
    synchronized (
        IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
      return lockedInProcess(lockFile, sync, work);
    }
  }

  private static <T> T lockedInProcess(
      Path lockFile, String sync, java.util.function.Supplier<T> work) {
    try {
      Files.createDirectories(lockFile.getParent());
      try (var channel =
              java.nio.channels.FileChannel.open(
                  lockFile,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.WRITE);
          var lock = channel.lock()) {
        return work.get();
      }
    } catch (IOException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "cannot lock the alert state of sync " + sync + " (" + lockFile + "): " + e.getMessage());
    }
  }

  @Override
  public void save(String sync, AlertState state) {
    Path file = file(sync);
    Path temp = dir.resolve("." + sync + ".alerts.json.tmp");
    try {
      Files.createDirectories(dir);
      try (var channel =
          java.nio.channels.FileChannel.open(
              temp,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
              java.nio.file.StandardOpenOption.WRITE)) {
        channel.write(
            java.nio.ByteBuffer.wrap(
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(write(state))));
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "cannot write the alert state of sync " + sync + " to " + file + ": " + e.getMessage());
    }
  }

  static ObjectNode write(AlertState s) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    ObjectNode triggers = root.putObject("triggers");
    s.triggers()
        .forEach(
            (t, st) -> {
              ObjectNode o = triggers.putObject(t.code());
              o.put("level", st.level().name());
              o.put("since", st.since().toString());
              o.put("reason", st.reason());
              st.runId().ifPresentOrElse(id -> o.put("run_id", id), () -> o.putNull("run_id"));
            });
    ObjectNode delivered = root.putObject("delivered");
    s.delivered().forEach((k, v) -> delivered.put(k, v.name()));
    ObjectNode figures = root.putObject("figures");
    ArrayNode durations = figures.putArray("durations_ms");
    s.figures().durationsMillis().forEach(durations::add);
    s.figures().lastCompletedRows().ifPresent(r -> figures.put("last_completed_rows", r));
    s.figures().lastCompletedAt().ifPresent(t -> figures.put("last_completed_at", t.toString()));
    s.figures().firstSeen().ifPresent(t -> figures.put("first_seen", t.toString()));
    ArrayNode log = root.putArray("notifications");
    for (SentNotification n : s.notifications()) {
      ObjectNode o = log.addObject();
      o.put("at", n.at().toString());
      o.put("trigger", n.trigger());
      o.put("channel", n.channel());
      o.put("previous", n.previous().name());
      o.put("level", n.level().name());
      n.runId().ifPresentOrElse(id -> o.put("run_id", id), () -> o.putNull("run_id"));
      o.put("delivered", n.delivered());
      o.put("attempts", n.attempts());
      o.put("detail", n.detail());
      o.put("test", n.test());
    }
    return root;
  }

  static AlertState read(JsonNode root) {
    Map<Trigger, TriggerState> triggers = new EnumMap<>(Trigger.class);
    root.path("triggers")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode o = e.getValue();
              triggers.put(
                  Trigger.of(e.getKey()),
                  new TriggerState(
                      Level.valueOf(o.get("level").asText()),
                      Instant.parse(o.get("since").asText()),
                      o.path("reason").asText(""),
                      text(o, "run_id")));
            });
    Map<String, Level> delivered = new LinkedHashMap<>();
    root.path("delivered")
        .fields()
        .forEachRemaining(e -> delivered.put(e.getKey(), Level.valueOf(e.getValue().asText())));
    JsonNode f = root.path("figures");
    List<Long> durations = new ArrayList<>();
    f.path("durations_ms").forEach(d -> durations.add(d.asLong()));
    RunFigures figures =
        new RunFigures(
            durations,
            f.has("last_completed_rows")
                ? Optional.of(f.get("last_completed_rows").asLong())
                : Optional.empty(),
            text(f, "last_completed_at").map(Instant::parse),
            text(f, "first_seen").map(Instant::parse));
    List<SentNotification> log = new ArrayList<>();
    for (JsonNode o : root.path("notifications")) {
      log.add(
          new SentNotification(
              Instant.parse(o.get("at").asText()),
              o.get("trigger").asText(),
              o.get("channel").asText(),
              Level.valueOf(o.get("previous").asText()),
              Level.valueOf(o.get("level").asText()),
              text(o, "run_id"),
              o.path("delivered").asBoolean(),
              o.path("attempts").asInt(),
              o.path("detail").asText(""),
              o.path("test").asBoolean()));
    }
    return new AlertState(triggers, delivered, figures, log);
  }

  private static Optional<String> text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
