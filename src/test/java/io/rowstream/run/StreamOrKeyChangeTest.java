package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.EventType;
import io.rowstream.delivery.ProducerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync whose stream or primary key changed since rows were delivered says what will happen. */
class StreamOrKeyChangeTest {
  @TempDir Path dir;

  private RowstreamConfig config(String stream, String key) throws IOException {
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, table: customers, primary_key: %s, destination: kinesis, stream: %s}
        """
            .formatted(key, stream));
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    return result.config().orElseThrow();
  }

  private static SyncRunner runner(RowstreamConfig config) {
    return new SyncRunner(
        config,
        d -> new RetentionTest.StoringDestination(),
        ProducerSettings.defaults(),
        Clock.systemUTC());
  }

  @Test
  void aFirstRunAndAnUnchangedSyncSayNothing() throws IOException {
    new Project(dir)
        .sql("create table customers as select i as id, 'c' || i as email from range(1, 4) t(i)");
    RunTally first = SyncRunner.newTally();
    runner(config("a", "id")).run("customers", first);
    RunTally second = SyncRunner.newTally();
    runner(config("a", "id")).plan("customers", second);

    assertThat(first.notices()).isEmpty();
    assertThat(second.notices()).isEmpty();
  }

  @Test
  void aChangedStreamIsNamedWithWhatIsSentAndHowToSendEverything() throws IOException {
    Project p =
        new Project(dir).sql("create table customers as select i as id from range(1, 4) t(i)");
    runner(config("a", "id")).run("customers", SyncRunner.newTally());
    config("b", "id");

    Project.Result plan = p.cli("plan", "customers");

    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.err())
        .contains("now sends to stream 'b', but its 3 delivered rows went to stream 'a'")
        .contains("run `rowstream reset customers` first");
    assertThat(plan.out()).contains("added    0");
  }

  @Test
  void aChangedKeyIsNamedAndOnceRunTheNewKeyIsRecorded() throws IOException {
    new Project(dir)
        .sql("create table customers as select i as id, 'c' || i as email from range(1, 4) t(i)");
    runner(config("a", "id")).run("customers", SyncRunner.newTally());

    RunTally changed = SyncRunner.newTally();
    RunSummary run = runner(config("a", "email")).run("customers", changed);
    RunTally after = SyncRunner.newTally();
    runner(config("a", "email")).plan("customers", after);

    assertThat(changed.notices())
        .singleElement()
        .asString()
        .contains("now keys rows by 'email', but its 3 delivered rows are keyed by 'id'")
        .contains("planned as removed (old key)");
    assertThat(run.counts(EventType.REMOVED).sent()).isEqualTo(3);
    assertThat(run.counts(EventType.ADDED).sent()).isEqualTo(3);
    assertThat(after.notices()).as("recorded with the run").isEmpty();
  }
}
