package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.RecordData;
import io.rowstream.store.historyrows.KeptRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The records one call carried, as the SQLite history stores them (the shared PostgreSQL history
 * keeps them as {@link CallRecords} packs them). In the call's row: keys, shards and sequence
 * numbers as JSON arrays by index, failed entries as {@code {"index": [code, message]}}, and the
 * records kept for the debugger as a deflated JSON array by index ({@code [partition key, explicit
 * hash key, data, bytes, truncated]}). In {@code call_keys}: one small row per record (key, call,
 * index, flags), the index a key search seeks in.
 */
final class PackedCalls {
  private static final ObjectMapper JSON = HistoryQueries.JSON;
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, List<String>>> ERRORS = new TypeReference<>() {};

  /** Event codes in a key row's flags; 0 is unknown. */
  private static final List<String> EVENTS = List.of("", "added", "changed", "removed");

  /**
   * A call's packed columns (null when it carried no records) and its key rows' flags, one
   * character per record.
   */
  record Packed(
      String keys,
      String shards,
      String sequenceNumbers,
      String errors,
      String flags,
      byte[] data) {
    static final Packed NONE = new Packed(null, null, null, null, null, null);
  }

  private PackedCalls() {}

  /**
   * Packs a call whose error messages are already scrubbed; the records kept for the debugger are
   * scrubbed here of {@code secrets}, their data cut to {@code maxDataBytes}.
   */
  static Packed pack(ApiCall call, Collection<String> secrets, int maxDataBytes)
      throws JsonProcessingException {
    List<String> keys = call.keys();
    if (keys.isEmpty()) {
      return Packed.NONE;
    }
    List<EntryResult> entries = call.entries();
    List<ApiCall.Sent> sent = call.sent();
    List<String> shards = new ArrayList<>(entries.size());
    List<String> sequenceNumbers = new ArrayList<>(entries.size());
    Map<String, List<String>> errors = new LinkedHashMap<>();
    StringBuilder flags = new StringBuilder(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      EntryResult e = i < entries.size() ? entries.get(i) : null;
      if (e != null) {
        shards.add(e.ok() ? e.shardId() : null);
        sequenceNumbers.add(e.ok() ? e.sequenceNumber() : null);
        if (!e.ok()) {
          errors.put(Integer.toString(i), Arrays.asList(e.errorCode(), e.errorMessage()));
        }
      }
      flags.append(flag(sent.isEmpty() ? null : sent.get(i).event(), e != null && e.ok()));
    }
    byte[] data =
        sent.isEmpty()
            ? null
            : deflate(
                JSON.writeValueAsBytes(KeptRecords.toJson(JSON, sent, secrets, maxDataBytes)));
    return new Packed(
        JSON.writeValueAsString(keys),
        entries.isEmpty() ? null : JSON.writeValueAsString(shards),
        entries.isEmpty() ? null : JSON.writeValueAsString(sequenceNumbers),
        errors.isEmpty() ? null : JSON.writeValueAsString(errors),
        flags.toString(),
        data);
  }

  /** A key row's flags as one digit: event code times 2, plus 1 when Kinesis stored the record. */
  static char flag(String event, boolean stored) {
    int code = Math.max(0, EVENTS.indexOf(event == null ? "" : event));
    return (char) ('0' + code * 2 + (stored ? 1 : 0));
  }

  /** The event of a key row's flags, or null when not known. */
  static String event(int flags) {
    int code = flags >> 1;
    return code > 0 && code < EVENTS.size() ? EVENTS.get(code) : null;
  }

  /** The code of an event label in a key row's flags, or -1 for no such event. */
  static int eventCode(String event) {
    int code = EVENTS.indexOf(event);
    return code > 0 ? code : -1;
  }

  static List<String> keys(String packed) throws JsonProcessingException {
    return packed == null ? List.of() : JSON.readValue(packed, STRINGS);
  }

  /** The kept records of a call by index; empty when none was kept. */
  static List<Optional<RecordData>> records(byte[] packed) throws IOException {
    return packed == null ? new ArrayList<>() : KeptRecords.read(JSON.readTree(inflate(packed)));
  }

  /** The indexes (as text) of a call's failed entries. */
  static java.util.Set<String> failedIndexes(String errors) throws JsonProcessingException {
    return errors == null ? java.util.Set.of() : JSON.readValue(errors, ERRORS).keySet();
  }

  /** What Kinesis answered for each of a call's {@code count} records; null where no answer. */
  static List<EntryResult> results(String shards, String sequenceNumbers, String errors, int count)
      throws JsonProcessingException {
    List<String> shardList = keys(shards);
    List<String> sequenceList = keys(sequenceNumbers);
    Map<String, List<String>> failed = errors == null ? Map.of() : JSON.readValue(errors, ERRORS);
    List<EntryResult> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<String> error = failed.get(Integer.toString(i));
      if (error != null) {
        out.add(EntryResult.failed(error.get(0), error.get(1)));
      } else if (i < shardList.size() && shardList.get(i) != null) {
        out.add(EntryResult.stored(shardList.get(i), sequenceList.get(i)));
      } else {
        out.add(null);
      }
    }
    return out;
  }

  /** What Kinesis answered for the record at {@code index}; empty when the whole call failed. */
  static Optional<EntryResult> result(
      String shards, String sequenceNumbers, String errors, int index)
      throws JsonProcessingException {
    if (errors != null) {
      List<String> error = JSON.readValue(errors, ERRORS).get(Integer.toString(index));
      if (error != null) {
        return Optional.of(EntryResult.failed(error.get(0), error.get(1)));
      }
    }
    if (shards == null || sequenceNumbers == null) {
      return Optional.empty();
    }
    List<String> shardList = JSON.readValue(shards, STRINGS);
    List<String> sequenceList = JSON.readValue(sequenceNumbers, STRINGS);
    if (index >= shardList.size() || shardList.get(index) == null) {
      return Optional.empty();
    }
    return Optional.of(EntryResult.stored(shardList.get(index), sequenceList.get(index)));
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] bytes) throws IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes);
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IOException("the kept records of a call are cut short");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("the kept records of a call are damaged: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
