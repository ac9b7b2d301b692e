package io.rowstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's "## Layout" names every package of the main code, and no other. */
class ReadmeLayoutTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^(io\\.rowstream(\\.[a-z]+)*)\\s");

  private static Set<String> packages() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN.resolve("io/rowstream"))) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .map(f -> MAIN.relativize(f.getParent()).toString().replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> documented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String layout = readme.substring(readme.indexOf("\n## Layout\n"));
    layout = layout.substring(0, layout.indexOf("\n## ", 1));
    Set<String> named = new TreeSet<>();
    Matcher m = PACKAGE.matcher(layout);
    while (m.find()) {
      named.add(m.group(1));
    }
    return named;
  }

  @Test
  void theLayoutSectionNamesEveryPackageAndNoOther() throws IOException {
    Set<String> packages = packages();

    assertThat(packages).contains("io.rowstream.cli", "io.rowstream.core");
    assertThat(documented()).isEqualTo(packages);
  }
}
