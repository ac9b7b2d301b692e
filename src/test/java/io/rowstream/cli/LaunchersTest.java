package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kinesis client's wire format is the JVM's (the SDK reads {@code aws.cborEnabled} when a
 * client is built, and Rowstream sets no system property at runtime), so each launcher must start
 * the JVM with CBOR off: the SDK cannot parse kinesalite's CBOR GetRecords answers.
 */
class LaunchersTest {
  @ParameterizedTest
  @ValueSource(strings = {"rowstream", "src/dist/bin/rowstream"})
  void everyLauncherStartsTheJvmWithCborOff(String launcher) throws IOException {
    // a command continued over several lines is one command
    String script = Files.readString(Path.of(launcher)).replace("\\\n", " ");

    assertThat(script.lines().filter(l -> l.contains("io.rowstream.cli.Main")))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("-Daws.cborEnabled=false"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"maven-surefire-plugin", "maven-failsafe-plugin"})
  void theTestJvmsStartWithCborOff(String plugin) throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    int at = pom.indexOf("<artifactId>" + plugin + "</artifactId>");
    String section = pom.substring(at, pom.indexOf("</plugin>", at));

    assertThat(at).isPositive();
    assertThat(section).contains("<argLine>-Daws.cborEnabled=false");
  }
}
