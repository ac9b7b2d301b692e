package io.rowstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's error table is the one users look up: it lists every code, with its type, and no
 * other.
 */
class ErrorCodeReadmeTest {
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([a-z]+) \\| ([^|]+) \\| ([^|]+) \\|$");

  private static Map<String, String> readmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String errors = readme.substring(readme.indexOf("## Errors"));
    Map<String, String> types = new LinkedHashMap<>();
    Matcher m =
        ROW.matcher(
            errors.substring(
                0, errors.indexOf("\n## ") < 0 ? errors.length() : errors.indexOf("\n## ")));
    while (m.find()) {
      types.put(m.group(1), m.group(2));
    }
    return types;
  }

  @Test
  void everyErrorCodeIsInTheReadmeTableWithItsType() throws IOException {
    Map<String, String> table = readmeTable();

    for (ErrorCode code : ErrorCode.values()) {
      assertThat(table)
          .as("README error table row for " + code.code())
          .containsEntry(code.code(), code.type().name().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void eachReadmeRowSaysWhatTheCodeMeansAndWhatToDoAsTheCodeDoes() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String errors = readme.substring(readme.indexOf("## Errors"));
    Map<String, String[]> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(errors);
    while (m.find()) {
      rows.put(m.group(1), new String[] {m.group(3).strip(), m.group(4).strip()});
    }

    for (ErrorCode code : ErrorCode.values()) {
      assertThat(rows).containsKey(code.code());
      assertThat(plain(rows.get(code.code())[0])).as(code.code()).isEqualTo(plain(code.meaning()));
      assertThat(plain(rows.get(code.code())[1])).as(code.code()).isEqualTo(plain(code.action()));
    }
  }

  /** Text without Markdown's code quotes, which the README adds. */
  private static String plain(String text) {
    return text.replace("`", "");
  }

  @Test
  void theReadmeTableNamesNoCodeThatDoesNotExist() throws IOException {
    assertThat(readmeTable().keySet())
        .allSatisfy(code -> assertThat(ErrorCode.of(code)).as(code).isPresent())
        .hasSize(ErrorCode.values().length);
  }

  @Test
  void codesAreStableLowerCaseNamesAndEachHasAMeaningAndAnAction() {
    assertThat(Arrays.stream(ErrorCode.values()))
        .allSatisfy(
            c -> {
              assertThat(c.code()).matches("[a-z_]+");
              assertThat(c.meaning()).isNotBlank();
              assertThat(c.action()).isNotBlank();
            });
  }
}
