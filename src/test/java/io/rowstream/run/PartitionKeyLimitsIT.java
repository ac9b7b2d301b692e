package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

/**
 * Both emulators count a partition key's length in UTF-16 code units, as Rowstream's check does:
 * 128 emoji (256 units) are taken, 200 emoji (400 units) make them refuse the whole request. A row
 * whose key is 200 emoji is rejected before sending, and the other rows land.
 */
class PartitionKeyLimitsIT {
  private static final String EMOJI = "\uD83D\uDE00";
  private static final int ROWS = 300;

  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KinesisEmulator.Kind.class)
  void theEmulatorTakes256CodeUnitsAndRefusesTheWholeRequestFor200Emoji(KinesisEmulator.Kind kind) {
    KinesisEmulator kinesis = EMULATORS.get(kind);
    String stream = "keys-direct-" + kind.name().toLowerCase();
    kinesis.createStream(stream, 1);
    var client = kinesis.client();

    client.putRecords(
        b ->
            b.streamName(stream)
                .records(
                    r -> r.partitionKey(EMOJI.repeat(128)).data(SdkBytes.fromUtf8String("{}"))));
    assertThat(kinesis.readAll(stream))
        .extracting(LandedRecord::partitionKey)
        .containsExactly(EMOJI.repeat(128));

    assertThatThrownBy(
            () ->
                client.putRecords(
                    b ->
                        b.streamName(stream)
                            .records(
                                r -> r.partitionKey("ok").data(SdkBytes.fromUtf8String("{}")),
                                r ->
                                    r.partitionKey(EMOJI.repeat(200))
                                        .data(SdkBytes.fromUtf8String("{}")))))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).statusCode()).isEqualTo(400));
    assertThat(kinesis.readAll(stream)).as("the whole request was refused").hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(KinesisEmulator.Kind.class)
  void aRowWhosePartitionKeyIs200EmojiIsRejectedAndTheOtherRowsLand(KinesisEmulator.Kind kind) {
    KinesisEmulator kinesis = EMULATORS.get(kind);
    String stream = "keys-run-" + kind.name().toLowerCase();
    kinesis.createStream(stream, 1);
    Project p =
        new Project(dir)
            .sql(
                "create table customers as select i as id, case when i = 7 then repeat('"
                    + EMOJI
                    + "', 200) "
                    + "when i = 8 then repeat('"
                    + EMOJI
                    + "', 128) else 'k' || i end as pk from range(1, "
                    + (ROWS + 1)
                    + ") t(i)")
            .config(
                kinesis.endpoint(),
                """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: %s
              partition_key: "{{ row.pk }}"
            """
                    .formatted(stream));

    Project.Result run = p.cli("run", "customers", "--json");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    JsonNode summary = SyncScenarios.parse(run.out());
    assertThat(summary.path("added").path("sent").asLong()).isEqualTo(ROWS - 1);
    assertThat(summary.path("rejections").toString()).isEqualTo("{\"invalid_partition_key\":1}");
    String rejections =
        p.cli("runs", "customers", "--rejections", summary.path("run_id").asText()).out();
    assertThat(rejections).contains("partition key has 400 UTF-16 code units (200 characters;");
    Set<String> landed =
        kinesis.readAll(stream).stream()
            .map(LandedRecord::partitionKey)
            .collect(Collectors.toSet());
    assertThat(landed)
        .hasSize(ROWS - 1)
        .contains(EMOJI.repeat(128))
        .doesNotContain(EMOJI.repeat(200));
  }
}
