package io.rowstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn package} makes target/rowstream-VERSION.tar.gz: unpacked anywhere, bin/rowstream runs.
 */
class PackageIT {
  @TempDir Path dir;

  private static String run(Path cwd, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theTarballUnpacksAnywhereAndRunsWithItsExampleConfig() throws Exception {
    Path tarball;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      tarball =
          files
              .filter(f -> f.getFileName().toString().matches("rowstream-.+\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no target/rowstream-VERSION.tar.gz; run mvn package"));
    }
    run(dir, Map.of(), "tar", "xzf", tarball.toAbsolutePath().toString());
    Path home;
    try (Stream<Path> unpacked = Files.list(dir)) {
      home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("rowstream-");
    assertThat(home.resolve("bin/rowstream")).isExecutable();
    assertThat(home.resolve("README.md")).exists();
    try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
      assertThat(libs.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("rowstream-"))
          .anyMatch(n -> n.startsWith("javalin-"));
    }
    assertThat(run(home, Map.of(), "bin/rowstream", "--version")).contains("rowstream");
    String validated =
        run(
            home,
            Map.of("WAREHOUSE_PASSWORD", "x", "ROWSTREAM_API_TOKEN", "0123456789abcdef0"),
            "bin/rowstream",
            "validate",
            "--config",
            "rowstream.example.yaml");
    assertThat(validated).contains("is valid").doesNotContain("DEBUG").doesNotContain("INFO");
    assertThat(List.of(run(home, Map.of(), "bin/rowstream", "help", "serve").split("\n")))
        .anyMatch(l -> l.contains("--log-format"));
  }
}
