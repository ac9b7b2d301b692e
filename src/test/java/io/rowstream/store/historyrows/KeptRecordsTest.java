package io.rowstream.store.historyrows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rowstream.delivery.ApiCall;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.history.RecordData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The records kept for the debugger: scrubbed, cut on a character boundary, read back by index. */
class KeptRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SECRETS = List.of("hunter2-secret");

  private static ApiCall.Sent sent(String data, String partitionKey, String hashKey) {
    return new ApiCall.Sent(
        "added",
        new OutboundRecord(
            data.getBytes(StandardCharsets.UTF_8), partitionKey, Optional.ofNullable(hashKey)));
  }

  @Test
  void recordsAreScrubbedOfSecretsAndReadBackByIndex() {
    ArrayNode json =
        KeptRecords.toJson(
            JSON,
            List.of(
                sent("{\"pw\":\"hunter2-secret\"}", "key-hunter2-secret", null),
                sent("{\"id\":2}", "2", "12345")),
            SECRETS,
            1024);

    List<Optional<RecordData>> read = KeptRecords.read(json);

    assertThat(read).hasSize(2);
    RecordData first = read.get(0).orElseThrow();
    assertThat(first.data()).doesNotContain("hunter2-secret");
    assertThat(first.partitionKey()).doesNotContain("hunter2-secret");
    assertThat(first.explicitHashKey()).isEmpty();
    assertThat(first.bytes()).isEqualTo("{\"pw\":\"hunter2-secret\"}".length());
    RecordData second = read.get(1).orElseThrow();
    assertThat(second.data()).isEqualTo("{\"id\":2}");
    assertThat(second.explicitHashKey()).contains("12345");
    assertThat(second.truncated()).isFalse();
  }

  @Test
  void explicitHashKeysAreScrubbedInEveryHistory() {
    // a hash key is a decimal number, and so can a secret be: both histories keep it scrubbed
    ApiCall.Sent s = sent("{}", "k", "hunter2-secret");
    assertThat(
            KeptRecords.read(KeptRecords.toJson(JSON, List.of(s), SECRETS, 10))
                .get(0)
                .orElseThrow()
                .explicitHashKey()
                .orElseThrow())
        .doesNotContain("hunter2-secret");
  }

  @Test
  void dataIsCutToTheLimitOnACharacterBoundary() {
    byte[] data = "aé".repeat(10).getBytes(StandardCharsets.UTF_8); // é is two bytes
    KeptRecords.Kept kept = KeptRecords.kept(data, List.of(), 4);
    assertThat(kept.truncated()).isTrue();
    assertThat(kept.text()).isEqualTo("aéa"); // 4 bytes: a, é, a
    KeptRecords.Kept cutInside = KeptRecords.kept(data, List.of(), 2);
    assertThat(cutInside.text()).isEqualTo("a"); // not half of é
    assertThat(KeptRecords.kept(data, List.of(), 0)).isEqualTo(new KeptRecords.Kept("", true));
    assertThat(KeptRecords.kept(new byte[0], List.of(), 0))
        .isEqualTo(new KeptRecords.Kept("", false));
    assertThat(KeptRecords.kept(data, List.of(), 1000).truncated()).isFalse();
  }

  @Test
  void aSecretCutAtTheLimitIsStillMaskedWhole() {
    byte[] data = ("xx hunter2-secret yy").getBytes(StandardCharsets.UTF_8);
    KeptRecords.Kept kept = KeptRecords.kept(data, SECRETS, 6); // cut inside the secret
    assertThat(kept.truncated()).isTrue();
    assertThat(kept.text()).isEqualTo("xx ***").doesNotContain("hun");
  }
}
