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
import io.rowstream.state.SyncDocuments;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Alert states as JSON documents named {@code alerts} in the state's {@link SyncDocuments}: in the
 * embedded state a file per sync ({@code STATE_DIR/SYNC.alerts.json}), in a shared one a row.
 */
public final class DocumentAlertStore implements AlertStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;
  static final String DOCUMENT = "alerts";

  private final SyncDocuments documents;

  public DocumentAlertStore(SyncDocuments documents) {
    this.documents = java.util.Objects.requireNonNull(documents, "documents is null");
  }

  @Override
  public AlertState load(String sync) {
    Optional<String> text = documents.load(sync, DOCUMENT);
    if (text.isEmpty()) {
      return AlertState.EMPTY;
    }
    try {
      return read(JSON.readTree(text.get()));
    } catch (IOException | RuntimeException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_CORRUPT,
          "the alert state of sync "
              + sync
              + " is damaged ("
              + e
              + "); move it aside (or delete it) to start from OK");
    }
  }

  @Override
  public <T> T locked(String sync, Supplier<T> work) {
    return documents.locked(sync, DOCUMENT, work);
  }

  @Override
  public void save(String sync, AlertState state) {
    String text;
    try {
      text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(write(state));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    documents.save(sync, DOCUMENT, text);
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
