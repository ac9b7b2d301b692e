package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.testing.AnswerGate;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code rowstream run SYNC} in a child JVM, started from the packaged jar and its libraries as the
 * {@code ./rowstream} script does, so a test can signal or kill it.
 */
final class ChildRun {
  private static final Duration POLL = Duration.ofMillis(200);

  final Process process;
  final Path out;
  final Path err;

  private ChildRun(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code rowstream run SYNC [extra...] --config CONFIG}; stdout and stderr go to files
   * beside it.
   */
  static ChildRun start(Path config, String sync, String... extra) throws IOException {
    String jar = System.getProperty("rowstream.jar", "target/rowstream.jar");
    String libs = System.getProperty("rowstream.libs", "target/lib");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // a shell without job control starts children with SIGINT ignored, and a JVM keeps it ignored:
    // reset it
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "--default-signal=INT,TERM",
                java,
                "-Xmx256m",
                "-Daws.cborEnabled=false",
                "-cp",
                jar + File.pathSeparator + libs + "/*",
                "io.rowstream.cli.Main",
                "run",
                sync));
    command.addAll(List.of(extra));
    command.addAll(List.of("--config", config.toString()));
    Path dir = config.getParent();
    Path out = dir.resolve("child-" + System.nanoTime() + ".out");
    Path err = dir.resolve(out.getFileName().toString().replace(".out", ".err"));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new ChildRun(process, out, err);
  }

  /**
   * Waits until {@code gate} holds an answer of this run's: its first records are stored and it
   * waits for a later answer, so it is mid-run for as long as the gate holds. Fails if the run ends
   * or {@code timeout} passes first.
   *
   * @return the records stored so far
   */
  long awaitHeld(AnswerGate gate, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!gate.awaitHolding(POLL)) {
      assertThat(process.isAlive())
          .as("the run ended before an answer was held (%d stored): %s", gate.stored(), output())
          .isTrue();
      assertThat(System.nanoTime())
          .as("an answer was held within %s (%d stored)", timeout, gate.stored())
          .isLessThan(deadline);
    }
    return gate.stored();
  }

  /** Waits until the run's stderr holds {@code text}; fails if the run ends or timeout passes. */
  void awaitStderr(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stderr().contains(text)) {
      assertThat(process.isAlive())
          .as("the run ended before printing %s: %s", text, output())
          .isTrue();
      assertThat(System.nanoTime())
          .as("the run printed %s within %s: %s", text, timeout, output())
          .isLessThan(deadline);
      process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Waits for the run to end and returns its exit code. */
  int exitCode(Duration timeout) throws Exception {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("the run ended within %s: %s", timeout, output())
        .isTrue();
    return process.exitValue();
  }

  String stdout() throws IOException {
    return Files.readString(out);
  }

  String stderr() throws IOException {
    return Files.readString(err);
  }

  String output() {
    try {
      return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
