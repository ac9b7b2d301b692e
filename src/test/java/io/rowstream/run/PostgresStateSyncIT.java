package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync whose state is a shared PostgreSQL database ({@code state: {type: postgres}}), end to end
 * through the command line: the second run sends only the diff, {@code runs} and {@code debug} read
 * the history from PostgreSQL, nothing lands in the state folder, and the state's password shows
 * nowhere.
 */
class PostgresStateSyncIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static final String PASSWORD = "pg-state-pw-7f3a";

  @TempDir Path dir;

  @Test
  void aSyncKeepsItsStateAndHistoryInPostgresAndTheSecondRunSendsOnlyTheDiff() throws Exception {
    KinesisEmulator kinesis = EMULATORS.kinesalite();
    String stream = "pg-state-" + System.nanoTime();
    kinesis.createStream(stream, 2);
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      Project project = new Project(dir).customers(3, kinesis.endpoint(), stream);
      stateIn(pg.getPort());
      List<String> output = new ArrayList<>();

      Project.Result first = project.cli("run", "customers", "--json");
      output.add(first.out() + first.err());
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(kinesis.readAll(stream)).hasSize(3);

      project.sql(
          "update customers set name = 'renamed' where id = 2",
          "insert into customers values (4, 'customer 4')");
      Project.Result second = project.cli("run", "customers", "--json");
      output.add(second.out() + second.err());
      assertThat(second.exitCode()).as(second.err()).isZero();
      JsonNode summary = SyncScenarios.parse(second.out());
      assertThat(summary.path("added").path("sent").asLong()).isEqualTo(1);
      assertThat(summary.path("changed").path("sent").asLong()).isEqualTo(1);
      assertThat(summary.path("removed").path("planned").asLong()).isZero();
      assertThat(kinesis.readAll(stream)).as("only the diff is sent again").hasSize(5);
      String runId = summary.path("run_id").asText();

      Project.Result runs = project.cli("runs", "customers");
      output.add(runs.out() + runs.err());
      assertThat(runs.exitCode()).as(runs.err()).isZero();
      assertThat(runs.out())
          .contains(runId)
          .contains(SyncScenarios.parse(first.out()).path("run_id").asText());

      Project.Result debug = project.cli("debug", runId, "--key", "4");
      output.add(debug.out() + debug.err());
      assertThat(debug.exitCode()).as(debug.err()).isZero();
      assertThat(debug.out()).contains("PutRecords");

      assertThat(count(pg, "select count(*) from rowstream.delivered where sync = 'customers'"))
          .isEqualTo(4);
      assertThat(count(pg, "select count(*) from rowstream.runs where sync = 'customers'"))
          .isEqualTo(2);
      assertThat(stateFolderFiles()).as("nothing in the state folder").isEmpty();

      // a dry run plans against the shared state and changes nothing; a reset forgets a row
      project.sql("update customers set name = 'planned only' where id = 3");
      Project.Result plan = project.cli("plan", "customers");
      output.add(plan.out() + plan.err());
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
      Project.Result reset = project.cli("reset", "customers", "--keys", "1");
      output.add(reset.out() + reset.err());
      assertThat(reset.out()).contains("forgot the delivered state of 1 row(s)");
      Project.Result third = project.cli("run", "customers", "--json");
      output.add(third.out() + third.err());
      JsonNode after = SyncScenarios.parse(third.out());
      assertThat(after.path("added").path("sent").asLong()).as("the forgotten row").isEqualTo(1);
      assertThat(after.path("changed").path("sent").asLong())
          .as("the plan recorded nothing")
          .isEqualTo(1);

      // a state that cannot be reached fails clearly, without the password
      stateIn(1);
      Project.Result unreachable = project.cli("run", "customers");
      output.add(unreachable.out() + unreachable.err());
      assertThat(unreachable.exitCode()).isEqualTo(1);
      assertThat(unreachable.out() + unreachable.err())
          .contains("cannot connect to the PostgreSQL state at jdbc:postgresql://127.0.0.1:1/");

      assertThat(String.join("\n", output)).doesNotContain(PASSWORD);
      assertThat(
              count(
                  pg,
                  "select count(*) from rowstream.runs where summary like '%"
                      + PASSWORD
                      + "%' or error like '%"
                      + PASSWORD
                      + "%'"))
          .isZero();
    }
  }

  /** Puts {@code state: {type: postgres, ...}} at the head of the project's config. */
  private void stateIn(int port) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    String config = Files.readString(file);
    if (config.startsWith("state:")) {
      config = config.substring(config.indexOf("\nsources:") + 1);
    }
    Files.writeString(
        file,
        """
        state:
          type: postgres
          url: jdbc:postgresql://127.0.0.1:%d/postgres
          user: postgres
          password: %s
        """
                .formatted(port, PASSWORD)
            + config);
  }

  private List<Path> stateFolderFiles() throws IOException {
    Path state = dir.resolve(".rowstream");
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(state)) {
      return files.filter(f -> !Files.isDirectory(f)).toList();
    }
  }

  private static long count(EmbeddedPostgres pg, String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
