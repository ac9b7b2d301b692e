package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.EntryResult;
import io.rowstream.history.RecordData;
import io.rowstream.store.historyrows.KeptRecords;
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
    String data =
        sent.isEmpty()
            ? null
            : JSON.writeValueAsString(KeptRecords.toJson(JSON, sent, secrets, maxDataBytes));
    return new Packed(JSON.writeValueAsString(keys), data, rows);
  }

  public static List<String> keys(String packed) throws JsonProcessingException {
    return packed == null ? List.of() : JSON.readValue(packed, STRINGS);
  }

  /** The kept records of a call by index; empty entries where none was kept. */
  public static List<Optional<RecordData>> records(String packed) throws JsonProcessingException {
    return packed == null ? new ArrayList<>() : KeptRecords.read(JSON.readTree(packed));
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
