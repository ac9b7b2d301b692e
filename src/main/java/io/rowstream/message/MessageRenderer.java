package io.rowstream.message;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.config.MessageSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.Json;
import io.rowstream.core.Rejection;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.template.Template;
import io.rowstream.template.TemplateOptions;
import io.rowstream.template.TemplateRenderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a record from a planned event as the sync's {@code message}, {@code partition_key} and
 * {@code explicit_hash_key} say, and checks it against the Kinesis limits (SPEC §4.3, §4.8). Output
 * is a pure function of the row and the run: the same row always gives the same record.
 *
 * <p>A message template's output must parse as one JSON value; the record holds it compacted
 * (whitespace outside strings removed, numbers exactly as written).
 */
public final class MessageRenderer {
  /** Kinesis' limit on partition key length, in UTF-16 code units (see {@link RecordKeys}). */
  public static final int MAX_PARTITION_KEY_CHARS = RecordKeys.MAX_PARTITION_KEY_UNITS;

  private static final ObjectMapper JSON = Json.EXACT;

  /**
   * Keys of {@code row} that mean something without a column of that name (Liquid's size, first).
   */
  private static final Set<String> ROW_COMMANDS = Set.of("size", "first", "last");

  private final SyncConfig sync;
  private final MessageSpec message;
  private final Optional<Template> template;
  private final Optional<Template> partitionKey;
  private final Optional<Template> explicitHashKey;
  private final Map<String, String> runVariables;

  private MessageRenderer(SyncConfig sync, RunInfo run) {
    this.sync = sync;
    this.message = sync.message();
    this.template =
        message.mode() == MessageSpec.Mode.TEMPLATE
            ? Optional.of(Template.compile(message.template(), TemplateOptions.json()))
            : Optional.empty();
    this.partitionKey =
        sync.partitionKey().map(text -> Template.compile(text, TemplateOptions.text()));
    this.explicitHashKey =
        sync.explicitHashKey().map(text -> Template.compile(text, TemplateOptions.text()));
    this.runVariables = Map.of("id", run.id(), "started_at", run.startedAt());
  }

  /**
   * A renderer for one run of the sync. The config was validated, so its templates parse.
   *
   * @throws io.rowstream.template.TemplateSyntaxException if a template does not parse
   */
  public static MessageRenderer forRun(SyncConfig sync, RunInfo run) {
    return new MessageRenderer(
        requireNonNull(sync, "sync is null"), requireNonNull(run, "run is null"));
  }

  /** What a template can read of the run: {@code run.id} and {@code run.started_at}. */
  public record RunInfo(String id, String startedAt) {
    public RunInfo {
      requireNonNull(id, "id is null");
      requireNonNull(startedAt, "startedAt is null");
    }
  }

  /**
   * The columns the message and keys need that the model must have: checked before anything is
   * sent. For templates these are the keys of {@code row} their syntax trees read, through {@code
   * assign} and loop aliases; a template that reads {@code row} whole needs no column.
   */
  public List<String> requiredColumns() {
    Set<String> columns = new LinkedHashSet<>();
    switch (message.mode()) {
      case COLUMN -> columns.add(message.column());
      case COLUMNS -> columns.addAll(message.columns().values());
      case TEMPLATE -> columns.addAll(referencedColumns(template.orElseThrow()));
    }
    partitionKey.ifPresent(t -> columns.addAll(referencedColumns(t)));
    explicitHashKey.ifPresent(t -> columns.addAll(referencedColumns(t)));
    return List.copyOf(columns);
  }

  static List<String> referencedColumns(Template template) {
    List<String> columns = new ArrayList<>();
    for (String key : template.keysRead("row")) {
      if (!ROW_COMMANDS.contains(key)) {
        columns.add(key);
      }
    }
    return columns;
  }

  public Rendered render(PlannedEvent event) {
    try {
      boolean allColumns =
          message.mode() == MessageSpec.Mode.COLUMNS && message.columns().isEmpty();
      boolean needsTree =
          template.isPresent() || partitionKey.isPresent() || explicitHashKey.isPresent();
      JsonNode row = needsTree ? RowTree.read(event.row()) : null;
      Map<String, Object> variables = needsTree ? variables(event, row) : Map.of();
      byte[] data;
      if (allColumns) {
        RowColumns.Column bad = RowColumns.firstFault(event.row());
        if (bad != null) {
          return new Rendered.Invalid(bad.fault().reason(), bad.describe());
        }
        data = event.row().getBytes(StandardCharsets.UTF_8);
      } else if (template.isPresent()) {
        Compacted output = compact(template.get().render(variables));
        if (output.data() == null) {
          return new Rendered.Invalid(
              output.reason(),
              (output.reason().equals(Rejection.INVALID_JSON)
                      ? "the message template's output is not JSON: "
                      : "the message template's output: ")
                  + output.problem());
        }
        data = output.data();
      } else {
        Compacted columns =
            message.mode() == MessageSpec.Mode.COLUMN
                ? ColumnMessages.column(RowColumns.of(event.row()), message.column())
                : ColumnMessages.columns(RowColumns.of(event.row()), message.columns());
        if (columns.data() == null) {
          return new Rendered.Invalid(columns.reason(), columns.problem());
        }
        data = columns.data();
      }
      String key = partitionKey.isPresent() ? partitionKey.get().render(variables) : event.key();
      Optional<Rendered.Invalid> badKey =
          RecordKeys.checkPartitionKey(key, partitionKey.isPresent());
      if (badKey.isPresent()) {
        return badKey.get();
      }
      Optional<String> hashKey =
          explicitHashKey.isPresent()
              ? Optional.of(explicitHashKey.get().render(variables).strip())
              : Optional.empty();
      Optional<Rendered.Invalid> badHashKey = hashKey.flatMap(RecordKeys::checkExplicitHashKey);
      if (badHashKey.isPresent()) {
        return badHashKey.get();
      }
      OutboundRecord record = new OutboundRecord(data, key, hashKey);
      if (record.size() > sync.maxRecordBytes()) {
        return new Rendered.Invalid(
            Rejection.RECORD_TOO_LARGE,
            "record is "
                + record.size()
                + " bytes (data plus partition key); the stream takes at most "
                + sync.maxRecordBytes());
      }
      return new Rendered.Record(record);
    } catch (TemplateRenderException e) {
      return new Rendered.Invalid(Rejection.TEMPLATE_ERROR, e.getMessage());
    } catch (IOException e) {
      return new Rendered.Invalid(
          Rejection.INVALID_JSON,
          "the row is not valid JSON: "
              + (e instanceof JsonProcessingException j ? JsonWalk.describe(j) : e.getMessage()));
    }
  }

  private Map<String, Object> variables(PlannedEvent event, JsonNode row) {
    return Map.of("row", row, "op", event.type().label(), "sync", sync.name(), "run", runVariables);
  }

  /** A message's data, or the reason and the problem when there is none. */
  record Compacted(byte[] data, String reason, String problem) {
    static Compacted of(byte[] data) {
      return new Compacted(data, null, null);
    }

    static Compacted invalid(String reason, String problem) {
      return new Compacted(null, reason, problem);
    }
  }

  /**
   * The text as compact JSON, numbers exactly as written; null when it is not exactly one JSON
   * value, an object repeats a key or a text holds a lone surrogate.
   */
  static byte[] compactJson(String text) {
    return compact(text).data();
  }

  /**
   * The text as compact JSON, numbers exactly as written, when it is exactly one JSON value that
   * keeps the encoding rules; else why not, with the line and column, without parser internals.
   */
  static Compacted compact(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    JsonLocation where = null;
    try (JsonParser parser = JsonWalk.parser(text);
        JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
      if (parser.nextToken() == null) {
        return Compacted.invalid(Rejection.INVALID_JSON, "it is empty");
      }
      JsonWalk.Fault fault = JsonWalk.walk(parser, g);
      if (fault != null) {
        return Compacted.invalid(fault.reason(), fault.atLineAndColumn());
      }
      where = parser.currentLocation();
      if (parser.nextToken() != null) {
        where = parser.currentTokenLocation();
        return Compacted.invalid(
            Rejection.INVALID_JSON,
            "more than one JSON value (another one starts at line "
                + where.getLineNr()
                + ", column "
                + where.getColumnNr()
                + ")");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation() != null ? e.getLocation() : where;
      String what = JsonWalk.describe(e);
      if (where != null && at != null && at.getCharOffset() >= where.getCharOffset()) {
        what = "more than one JSON value (text follows the first one: " + what + ")";
      }
      return Compacted.invalid(
          Rejection.INVALID_JSON,
          what + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      return Compacted.invalid(Rejection.INVALID_JSON, "malformed JSON");
    }
    return Compacted.of(bytes.toByteArray());
  }
}
