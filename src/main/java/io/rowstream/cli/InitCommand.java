package io.rowstream.cli;

import io.rowstream.core.RowstreamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    description = "Write a working example project: rowstream.yaml and a demo DuckDB model.")
final class InitCommand implements Callable<Integer> {
  static final String DEMO_DB = "demo.duckdb";
  static final int DEMO_ROWS = 1000;

  /** The example project's message template (also the template benchmark's). */
  static final String SEED_TEMPLATE = resource("contact_info.liquid");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", defaultValue = ".", description = "where to write (default: .)")
  Path dir;

  @Option(
      names = "--endpoint",
      defaultValue = "http://127.0.0.1:4567",
      description =
          "Kinesis endpoint for the example destination (default: a local emulator on port 4567)")
  String endpoint;

  @Override
  public Integer call() throws IOException {
    Path config = dir.resolve("rowstream.yaml");
    Path db = dir.resolve(DEMO_DB);
    if (Files.exists(config) || Files.exists(db)) {
      throw RowstreamException.user(
          dir.toAbsolutePath().normalize()
              + " already holds "
              + (Files.exists(config) ? "rowstream.yaml" : DEMO_DB)
              + "; init writes into a folder without them, so nothing is overwritten");
    }
    Files.createDirectories(dir);
    createDemoModel(db);
    Files.writeString(config, exampleConfig(endpoint), StandardCharsets.UTF_8);
    var out = spec.commandLine().getOut();
    out.println("wrote " + config + " and " + db + " (" + DEMO_ROWS + " customers)");
    out.println(
        "next: rowstream validate; rowstream streams local --create customer-events --shards 2; "
            + "rowstream run customers");
    return Main.EXIT_OK;
  }

  static String exampleConfig(String endpoint) {
    return """
        # Rowstream example project: written by `rowstream init`.
        # Reference: see the README's configuration section.
        state: .rowstream                 # delivered state and run history (embedded)

        sources:
          warehouse:
            type: duckdb                  # embedded; also postgres, mysql, jdbc
            path: demo.duckdb

        destinations:
          local:
            type: kinesis
            region: us-east-1
            endpoint: %s   # a local emulator; remove this line for AWS
            credentials:                  # leave credentials out to use the AWS default chain
              access_key_id: local
              secret_access_key: local-emulator-secret   # scrubbed from every output, as any secret

        syncs:
          customers:
            source: warehouse
            query: |
              select id, full_name, email, age, balance, signed_up_at, tags, vip
              from customers
            primary_key: id
            destination: local
            stream: customer-events
            on: [added, changed, removed]
            message:                      # a Liquid template; every {{ }} output is escaped for JSON
              template: |
        %s
            partition_key: "{{ row.id }}"   # Liquid too; the default is the primary key value
            initial_sync: backfill        # or skip: the first run records a baseline and sends nothing
        """
        .formatted(endpoint, SEED_TEMPLATE.strip().indent(8).stripTrailing());
  }

  private static String resource(String name) {
    try (var in = InitCommand.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("resource " + name + " is missing from the build", e);
    }
  }

  static void createDemoModel(Path db) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          """
          create table customers as
          select i as id,
                 case i when 7 then 'Ada "Countess" Lovelace'
                        when 8 then 'C:\\new\\folder Bob'
                        else 'Customer ' || i end as full_name,
                 'customer' || i || '@example.com' as email,
                 18 + (i * 7) %% 60 as age,
                 cast(i * 12.25 as decimal(12, 2)) as balance,
                 timestamptz '2026-01-01 00:00:00+00' + to_minutes(i * 37) as signed_up_at,
                 case when i %% 3 = 0 then ['gold', 'early'] else ['standard'] end as tags,
                 i %% 10 = 0 as vip
          from range(1, %d) t(i)
          """
              .formatted(DEMO_ROWS + 1));
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          "cannot create the demo model " + db + ": " + e.getMessage(), e);
    }
  }
}
