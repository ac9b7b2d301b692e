package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rowstream run SYNC --full-resync} against kinesalite: the run forgets the delivered state
 * and sends every row of the model again as added, and says so in its summary and the history.
 */
class FullResyncCliIT {
  private static final int ROWS = 40;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  private static KinesisEmulator kinesis() {
    return EMULATORS.kinesalite();
  }

  private static Map<String, Long> perKey(List<LandedRecord> landed) {
    return landed.stream()
        .collect(Collectors.groupingBy(LandedRecord::partitionKey, Collectors.counting()));
  }

  @Test
  void runWithFullResyncSendsEveryRowAgainAsAddedAndTheNextPlainRunSendsNothing() {
    String stream = "resync-" + System.nanoTime() % 1_000_000_000;
    kinesis().createStream(stream, 1);
    Project p = new Project(dir).customers(ROWS, kinesis().endpoint(), stream);

    Project.Result first = p.cli("run", "customers", "--json");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(SyncScenarios.parse(first.out()).has("full_resync")).isFalse();

    Project.Result resync = p.cli("run", "customers", "--full-resync", "--json");
    assertThat(resync.exitCode()).as(resync.err()).isZero();
    JsonNode summary = SyncScenarios.parse(resync.out());
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    assertThat(summary.path("full_resync").asBoolean()).isTrue();
    assertThat(summary.path("forgotten").asLong()).isEqualTo(ROWS);
    assertThat(summary.path("added").path("sent").asLong()).isEqualTo(ROWS);
    assertThat(resync.err()).contains("full resync (forgot " + ROWS + " delivered)");
    Map<String, Long> landed = perKey(kinesis().readAll(stream));
    assertThat(landed).hasSize(ROWS);
    assertThat(landed.values()).as("every record is in the stream twice").allMatch(n -> n == 2);

    Project.Result plain = p.cli("run", "customers", "--json");
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(SyncScenarios.parse(plain.out()).path("added").path("planned").asLong()).isZero();
    assertThat(p.cli("runs", "customers", "--json").out()).contains("\"full_resync\":true");
  }
}
