package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} opens the state read-only; while a run in another process holds the DuckDB file it
 * cannot, and says so: the sync, that a run has it, and when to plan again.
 */
class PlanWhileRunningTest {
  @TempDir Path dir;

  @Test
  void planningWhileAnotherProcessRunsTheSyncIsRefusedClearly() throws Exception {
    Path stateDir = dir.resolve("state");
    try (DuckDbState first = DuckDbState.open(stateDir, "customers")) {
      // the file exists, as after a first run
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process run =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx128m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LeaseProbe.class.getName(),
                    stateDir.toString(),
                    "customers",
                    "hold"))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
      // readLine waits for the child's first line however slowly the JVM starts; it ends at EOF
      String first = out.readLine();
      assertThat(first).as("the other process holds the state").isEqualTo("opened");

      assertThatThrownBy(() -> DuckDbState.openReadOnly(stateDir, "customers").close())
          .isInstanceOf(RowstreamException.class)
          .hasMessageStartingWith(
              "the state of sync customers is in use by a run; plan again when it has finished.")
          .satisfies(
              e -> assertThat(((RowstreamException) e).code()).isEqualTo(ErrorCode.STATE_LOCKED));
    } finally {
      run.getOutputStream().close();
      if (!run.waitFor(1, TimeUnit.MINUTES)) {
        run.destroyForcibly();
      }
    }
    try (DuckDbState state = DuckDbState.openReadOnly(stateDir, "customers")) {
      assertThat(state.deliveredCount())
          .as("once the run has ended, plan reads the state")
          .isZero();
    }
  }
}
