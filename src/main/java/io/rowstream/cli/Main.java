package io.rowstream.cli;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rowstream}: the command line. Known errors print one line naming their {@link ErrorCode},
 * never a stack; every usage error exits 2; everything printed is scrubbed of secrets.
 */
@Command(
    name = "rowstream",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT, // --help and --version work after any command too
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
      ResetCommand.class,
      ReadCommand.class,
      DemoChangeCommand.class,
      AlertsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  static final String DEFAULT_CONFIG = "rowstream.yaml";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Global: valid before or after the command ({@code rowstream --config F run S} = {@code run S
   * --config F}).
   */
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      defaultValue = DEFAULT_CONFIG,
      description = "config file (default: ./rowstream.yaml)")
  Path configFile;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line and returns its exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    PrintWriter scrubbedOut = RedactingWriter.over(out);
    PrintWriter scrubbedErr = RedactingWriter.over(err);
    cli.setOut(scrubbedOut);
    cli.setErr(scrubbedErr);
    cli.setExitCodeExceptionMapper(
        e ->
            e instanceof RowstreamException r && r.kind() == RowstreamException.Kind.USER
                ? EXIT_USAGE
                : EXIT_FAILED);
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println("rowstream: " + label(ErrorCode.USAGE_ERROR) + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
          w.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof RowstreamException r) {
            commandLine.getErr().println("rowstream: " + label(r.code()) + r.getMessage());
            return r.kind() == RowstreamException.Kind.USER ? EXIT_USAGE : EXIT_FAILED;
          }
          commandLine
              .getErr()
              .println("rowstream: " + label(ErrorCode.INTERNAL_ERROR) + "internal error: " + e);
          if (System.getenv("ROWSTREAM_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          } else {
            commandLine
                .getErr()
                .println("(set ROWSTREAM_DEBUG=1 for the stack trace, and please report it)");
          }
          return EXIT_FAILED;
        });
    try {
      return cli.execute(args);
    } finally {
      scrubbedOut.flush();
      scrubbedErr.flush();
    }
  }

  /** How an error names its code on the command line: {@code [stream_not_found] }. */
  static String label(ErrorCode code) {
    return "[" + code.code() + "] ";
  }
}
