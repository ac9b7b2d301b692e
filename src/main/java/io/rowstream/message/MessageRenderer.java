package io.rowstream.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.MessageSpec;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.Rejection;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.state.PlannedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a record from a planned event as the sync's {@code message}, {@code partition_key} and
 * {@code explicit_hash_key} say, and checks it against the Kinesis limits (SPEC §4.3, §4.8).
 * Output is a pure function of the row: the same row always gives the same record.
 */
public final class MessageRenderer {
  /** Kinesis' limit on partition key length, in Unicode characters. */
  public static final int MAX_PARTITION_KEY_CHARS = 256;

  private static final BigInteger HASH_KEY_LIMIT = BigInteger.ONE.shiftLeft(128);
  private static final ObjectMapper JSON = Json.EXACT;

  private final MessageSpec message;
  private final Optional<KeyTemplate> partitionKey;
  private final Optional<KeyTemplate> explicitHashKey;
  private final int maxRecordBytes;

  private MessageRenderer(SyncConfig sync) {
    this.message = sync.message();
    this.partitionKey = sync.partitionKey().map(KeyTemplate::new);
    this.explicitHashKey = sync.explicitHashKey().map(KeyTemplate::new);
    this.maxRecordBytes = sync.maxRecordBytes();
  }

  public static MessageRenderer forSync(SyncConfig sync) {
    if (sync.message().mode() == MessageSpec.Mode.TEMPLATE) {
      throw RowstreamException.user("sync " + sync.name() + ": message templates are not supported yet");
    }
    return new MessageRenderer(sync);
  }

  /** The columns the message needs that the model must have: checked before anything is sent. */
  public List<String> requiredColumns() {
    return switch (message.mode()) {
      case COLUMN -> List.of(message.column());
      case COLUMNS -> List.copyOf(message.columns().values());
      case TEMPLATE -> List.of();
    };
  }

  public Rendered render(PlannedEvent event) {
    try {
      boolean allColumns = message.mode() == MessageSpec.Mode.COLUMNS && message.columns().isEmpty();
      boolean needsTree = !allColumns
          || partitionKey.map(KeyTemplate::needsRow).orElse(false)
          || explicitHashKey.map(KeyTemplate::needsRow).orElse(false);
      JsonNode row = needsTree ? JSON.readTree(event.row()) : null;
      byte[] data = allColumns ? event.row().getBytes(StandardCharsets.UTF_8) : data(row);
      if (data == null) {
        return new Rendered.Invalid(Rejection.INVALID_JSON,
            "column " + message.column() + " does not hold a JSON document");
      }
      String key = partitionKey.map(t -> t.render(row)).orElse(event.key());
      int chars = key.codePointCount(0, key.length());
      if (chars == 0 || chars > MAX_PARTITION_KEY_CHARS) {
        return new Rendered.Invalid(Rejection.INVALID_PARTITION_KEY, "partition key has " + chars
            + " characters; Kinesis takes 1 to " + MAX_PARTITION_KEY_CHARS);
      }
      Optional<String> hashKey = explicitHashKey.map(t -> t.render(row));
      if (hashKey.isPresent() && !validHashKey(hashKey.get())) {
        return new Rendered.Invalid(Rejection.INVALID_EXPLICIT_HASH_KEY, "explicit hash key '"
            + abbreviate(hashKey.get()) + "' is not a decimal integer in [0, 2^128)");
      }
      OutboundRecord record = new OutboundRecord(data, key, hashKey);
      if (record.size() > maxRecordBytes) {
        return new Rendered.Invalid(Rejection.RECORD_TOO_LARGE, "record is " + record.size()
            + " bytes (data plus partition key); the stream takes at most " + maxRecordBytes);
      }
      return new Rendered.Record(record);
    } catch (KeyTemplate.MissingColumnException e) {
      return new Rendered.Invalid(Rejection.MISSING_COLUMN, "the row has no column " + e.getMessage());
    } catch (IOException e) {
      return new Rendered.Invalid(Rejection.INVALID_JSON, "the row is not valid JSON: " + e.getMessage());
    }
  }

  private byte[] data(JsonNode row) throws IOException {
    if (message.mode() == MessageSpec.Mode.COLUMN) {
      JsonNode value = column(row, message.column());
      if (value.isTextual()) {
        try {
          value = JSON.readTree(value.asText());
        } catch (JsonProcessingException e) {
          return null;
        }
      }
      return value == null || value.isNull() || value.isMissingNode() ? null : JSON.writeValueAsBytes(value);
    }
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, String> entry : message.columns().entrySet()) {
      out.set(entry.getKey(), column(row, entry.getValue()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
      JSON.writeTree(g, out);
    }
    return bytes.toByteArray();
  }

  private static JsonNode column(JsonNode row, String name) {
    JsonNode value = row.get(name);
    if (value == null) {
      throw new KeyTemplate.MissingColumnException(name);
    }
    return value;
  }

  static boolean validHashKey(String text) {
    if (text.isEmpty() || text.length() > 39 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return new BigInteger(text).compareTo(HASH_KEY_LIMIT) < 0;
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
