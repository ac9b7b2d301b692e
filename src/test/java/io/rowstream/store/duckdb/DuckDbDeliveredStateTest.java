package io.rowstream.store.duckdb;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

class DuckDbDeliveredStateTest extends DeliveredStateContract {
  @Override
  protected DeliveredState open(Path dir, String sync) {
    return DuckDbState.open(dir, sync);
  }

  /**
   * The DuckDB lease is the file's lock, which one process holds: a second holder is another
   * process ({@link LeaseProbe}). Its refusal is thrown here as it was; when it could open the
   * state, the state is opened here.
   */
  @Override
  protected DeliveredState openAsAnotherHolder(Path dir, String sync) {
    String answer = probe(dir, sync);
    if (answer.startsWith("refused ")) {
      String[] parts = answer.split(" ", 3);
      throw RowstreamException.fatal(ErrorCode.valueOf(parts[1]), parts[2]);
    }
    if (!answer.equals("opened")) {
      throw new AssertionError("the lease probe answered: " + answer);
    }
    return DuckDbState.open(dir, sync);
  }

  private static String probe(Path dir, String sync) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            LeaseProbe.class.getName(),
            dir.toString(),
            sync);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      // a generous bound: a JVM starts slowly on a loaded machine
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the lease probe did not finish in 2 minutes");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return out.lines()
          .filter(l -> l.startsWith("opened") || l.startsWith("refused "))
          .findFirst()
          .orElse(out.strip());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the lease probe: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the lease probe ran", e);
    }
  }
}
