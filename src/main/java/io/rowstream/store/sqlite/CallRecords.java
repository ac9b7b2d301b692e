package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.history.RecordData;
import io.rowstream.state.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The records one call carried, as the history stores them: one row per record in {@code call_keys}
 * (key, event, what Kinesis answered), found by the index on (run, key); the call's keys in order
 * as a JSON array (to list a call's entries) and the records kept for the debugger as a JSON array
 * by index, {@code [partition key, explicit hash key, data, bytes, truncated]} (one text per call:
 * data rows would make the key index too wide to stay cheap). The shared PostgreSQL history stores
 * calls the same way.
 */
public final class CallRecords {
  private static final ObjectMapper JSON = HistoryQueries.JSON;
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** One record of a call, as a row of {@code call_keys}. */
  public record KeyRow(
      String key,
      int index,
      String event,
      String shard,
      String sequenceNumber,
      String errorCode,
      String errorMessage) {}

  /** A call's records, ready to insert; {@code keys} and {@code data} are null when none. */
  public record Packed(String keys, String data, List<KeyRow> rows) {
    public static final Packed NONE = new Packed(null, null, List.of());
  }

  private CallRecords() {}

  /**
   * Packs a call whose error messages are already scrubbed; the record data is scrubbed here of
   * {@code secrets} and cut to {@code maxDataBytes}.
   */
  public static Packed pack(ApiCall call, Collection<String> secrets, int maxDataBytes)
      throws JsonProcessingException {
    List<String> keys = call.keys();
    if (keys.isEmpty()) {
      return Packed.NONE;
    }
    List<EntryResult> entries = call.entries();
    List<ApiCall.Sent> sent = call.sent();
    List<KeyRow> rows = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      EntryResult e = i < entries.size() ? entries.get(i) : null;
      rows.add(
          new KeyRow(
              keys.get(i),
              i,
              sent.isEmpty() ? null : sent.get(i).event(),
              e != null && e.ok() ? e.shardId() : null,
              e != null && e.ok() ? e.sequenceNumber() : null,
              e == null || e.ok() ? null : e.errorCode(),
              e == null || e.ok() ? null : e.errorMessage()));
    }
    String data = null;
    if (!sent.isEmpty()) {
      ArrayNode records = JSON.createArrayNode();
      for (ApiCall.Sent s : sent) {
        OutboundRecord r = s.record();
        ArrayNode a = records.addArray();
        a.add(Redaction.scrub(r.partitionKey(), secrets));
        if (r.explicitHashKey().isPresent()) {
          a.add(Redaction.scrub(r.explicitHashKey().get(), secrets));
        } else {
          a.addNull();
        }
        Kept kept = kept(r.data(), secrets, maxDataBytes);
        a.add(kept.text());
        a.add(r.data().length);
        a.add(kept.truncated());
      }
      data = JSON.writeValueAsString(records);
    }
    return new Packed(JSON.writeValueAsString(keys), data, rows);
  }

  private record Kept(String text, boolean truncated) {}

  /**
   * The data as kept: scrubbed, then cut to {@code max} bytes on a character boundary. Only a
   * little more than what is kept is scrubbed (a secret cut at the end is still masked whole), so
   * large records cost no more than small ones.
   */
  static Kept kept(byte[] data, Collection<String> secrets, int max) {
    if (max <= 0) {
      return new Kept("", data.length > 0);
    }
    int margin = 256;
    int read = (int) Math.min(data.length, (long) max + margin);
    String text = Redaction.scrub(new String(data, 0, read, StandardCharsets.UTF_8), secrets);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= max && read == data.length) {
      return new Kept(text, false);
    }
    int end = Math.min(max, bytes.length);
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--; // not inside a UTF-8 sequence
    }
    return new Kept(new String(bytes, 0, end, StandardCharsets.UTF_8), true);
  }

  public static List<String> keys(String packed) throws JsonProcessingException {
    return packed == null ? List.of() : JSON.readValue(packed, STRINGS);
  }

  /** The kept records of a call by index; empty entries where none was kept. */
  public static List<Optional<RecordData>> records(String packed) throws JsonProcessingException {
    List<Optional<RecordData>> out = new ArrayList<>();
    if (packed == null) {
      return out;
    }
    for (JsonNode a : JSON.readTree(packed)) {
      out.add(
          Optional.of(
              new RecordData(
                  a.path(0).asText(),
                  a.path(1).isTextual() ? Optional.of(a.path(1).asText()) : Optional.empty(),
                  a.path(2).asText(),
                  a.path(3).asInt(),
                  a.path(4).asBoolean())));
    }
    return out;
  }

  /** What Kinesis answered for a record, from its {@code call_keys} row's columns. */
  public static Optional<EntryResult> result(
      String shard, String sequenceNumber, String errorCode, String errorMessage) {
    if (errorCode != null) {
      return Optional.of(EntryResult.failed(errorCode, errorMessage));
    }
    return shard == null
        ? Optional.empty()
        : Optional.of(EntryResult.stored(shard, sequenceNumber));
  }
}
