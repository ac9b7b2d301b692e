package io.rowstream.store.historyrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.history.RecordData;
import io.rowstream.state.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The records of a call kept for the debugger, as both histories store them: a JSON array by index
 * of {@code [partition key, explicit hash key, data, bytes, truncated]}, scrubbed of secrets and
 * the data cut to a number of bytes.
 */
public final class KeptRecords {
  /**
   * Bytes of a record's data scrubbed beyond what is kept, so a secret cut at the end is masked.
   */
  private static final int SCRUB_MARGIN = 256;

  private KeptRecords() {}

  /**
   * The records a call sent, as kept: partition keys, explicit hash keys and data scrubbed of
   * {@code secrets} (a hash key is a decimal number, but so can a secret be).
   */
  public static ArrayNode toJson(
      ObjectMapper json, List<ApiCall.Sent> sent, Collection<String> secrets, int maxDataBytes) {
    ArrayNode records = json.createArrayNode();
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
    return records;
  }

  /** The kept records by index, read back from {@link #toJson}'s array. */
  public static List<Optional<RecordData>> read(JsonNode records) {
    List<Optional<RecordData>> out = new ArrayList<>();
    for (JsonNode a : records) {
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

  /** A record's data as kept, and whether it was cut. */
  record Kept(String text, boolean truncated) {}

  /**
   * The data as kept: scrubbed, then cut to {@code max} bytes on a character boundary. Only a
   * little more than what is kept is scrubbed (a secret cut at the end is still masked whole), so
   * large records cost no more than small ones.
   */
  static Kept kept(byte[] data, Collection<String> secrets, int max) {
    if (max <= 0) {
      return new Kept("", data.length > 0);
    }
    int read = (int) Math.min(data.length, (long) max + SCRUB_MARGIN);
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
}
