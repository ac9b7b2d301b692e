package io.rowstream.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.delivery.EntryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records one call carried, packed into its row: keys, shards and sequence numbers as JSON
 * arrays by index, failed entries as {@code {"index": [code, message]}}. A key is found by
 * searching the keys' text for the key as a JSON string, then checked by parsing.
 */
final class CallRecords {
  private static final ObjectMapper JSON = HistoryQueries.JSON;
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, List<String>>> ERRORS = new TypeReference<>() {};

  /** The packed columns; null when the call carried no records. */
  record Packed(String keys, String shards, String sequenceNumbers, String errors) {}

  private CallRecords() {}

  static Packed pack(List<String> keys, List<EntryResult> entries) throws JsonProcessingException {
    if (keys.isEmpty()) {
      return new Packed(null, null, null, null);
    }
    List<String> shards = new ArrayList<>(entries.size());
    List<String> sequenceNumbers = new ArrayList<>(entries.size());
    Map<String, List<String>> errors = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      EntryResult e = entries.get(i);
      shards.add(e.ok() ? e.shardId() : null);
      sequenceNumbers.add(e.ok() ? e.sequenceNumber() : null);
      if (!e.ok()) {
        errors.put(Integer.toString(i), java.util.Arrays.asList(e.errorCode(), e.errorMessage()));
      }
    }
    return new Packed(
        JSON.writeValueAsString(keys),
        entries.isEmpty() ? null : JSON.writeValueAsString(shards),
        entries.isEmpty() ? null : JSON.writeValueAsString(sequenceNumbers),
        errors.isEmpty() ? null : JSON.writeValueAsString(errors));
  }

  /** The text a call's keys contain when it carried {@code key} (a cheap filter before parsing). */
  static String needle(String key) {
    try {
      return JSON.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The indexes at which the packed keys hold {@code key}. */
  static List<Integer> indexesOf(String keys, String key) throws JsonProcessingException {
    List<Integer> found = new ArrayList<>();
    if (keys == null) {
      return found;
    }
    List<String> list = JSON.readValue(keys, STRINGS);
    for (int i = 0; i < list.size(); i++) {
      if (key.equals(list.get(i))) {
        found.add(i);
      }
    }
    return found;
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
}
