package io.rowstream.cli;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "demo-change",
    description =
        "Change some rows of the demo model written by init (3 changed, "
            + "1 removed, 2 added), to try an incremental run.")
final class DemoChangeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "DIR",
      defaultValue = ".",
      description = "the folder init wrote (default: .)")
  Path dir;

  @Override
  public Integer call() {
    Path db = dir.resolve(InitCommand.DEMO_DB);
    if (!Files.exists(db)) {
      throw RowstreamException.user(
          ErrorCode.NOT_FOUND,
          "no " + InitCommand.DEMO_DB + " in " + dir + "; run `rowstream init` first");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "update customers set email = 'new.' || email, age = age + 1 where id in (1, 2, 3)");
      s.execute("delete from customers where id = 10");
      s.execute(
          "insert into customers select id + 1000000, 'Newcomer ' || id, 'new' || id || '@example.com', 30, "
              + "0.00, timestamptz '2026-11-25 10:00:00+00', ['trial'], false from customers where id in (1, 2)");
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          "cannot change the demo model " + db + ": " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .println("changed 3 rows (ids 1-3), removed 1 (id 10), added 2 (ids 1000001, 1000002)");
    return Main.EXIT_OK;
  }
}
