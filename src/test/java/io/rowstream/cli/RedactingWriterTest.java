package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactingWriterTest {
  @Test
  void aSecretPrintedInPiecesIsStillScrubbedAsAWholeLine() {
    StringWriter target = new StringWriter();
    PrintWriter out = RedactingWriter.over(new PrintWriter(target, true));
    RedactingWriter.use(out, Redactor.of(List.of("s3cret-value")));

    out.print("the server said: s3cr");
    out.print("et-value");
    out.println(" (echoed)");
    out.printf("again: %s%n", "s3cret-value");

    assertThat(target.toString())
        .isEqualTo(
            "the server said: **** (echoed)"
                + System.lineSeparator()
                + "again: ****"
                + System.lineSeparator());
  }

  @Test
  void beforeAConfigIsReadOnlyUrlUserInfoAndCredentialShapesAreScrubbed() {
    StringWriter target = new StringWriter();
    PrintWriter out = RedactingWriter.over(new PrintWriter(target, true));

    out.println("jdbc:mysql://app:pw1234@db/x");
    out.print("no newline yet");
    out.flush();

    assertThat(target.toString())
        .isEqualTo("jdbc:mysql://app:****@db/x" + System.lineSeparator() + "no newline yet");
  }
}
