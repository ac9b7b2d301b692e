package io.rowstream.cli;

import io.rowstream.core.RowstreamException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rowstream}: the command line. Known user errors print one line, never a stack. */
@Command(
    name = "rowstream",
    mixinStandardHelpOptions = true,
    version = "rowstream 0.1.0",
    description = "Keeps an Amazon Kinesis data stream in step with a SQL model.",
    subcommands = {
      InitCommand.class,
      ValidateCommand.class,
      StreamsCommand.class,
      PreviewCommand.class,
      CheckCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ServeCommand.class,
      RunsCommand.class,
      DebugCommand.class,
      ReadCommand.class,
      DemoChangeCommand.class,
      AlertsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line and returns its exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> e instanceof RowstreamException r && r.kind() == RowstreamException.Kind.USER
        ? EXIT_USAGE : EXIT_FAILED);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof RowstreamException r) {
        commandLine.getErr().println("rowstream: " + r.getMessage());
        return r.kind() == RowstreamException.Kind.USER ? EXIT_USAGE : EXIT_FAILED;
      }
      commandLine.getErr().println("rowstream: internal error: " + e);
      if (System.getenv("ROWSTREAM_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("(set ROWSTREAM_DEBUG=1 for the stack trace, and please report it)");
      }
      return EXIT_FAILED;
    });
    return cli.execute(args);
  }
}
