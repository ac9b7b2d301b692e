package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.template.Tokenizer.Kind;
import io.rowstream.template.Tokenizer.Token;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The liquid tag: one tag per line, each placed at its own line of the template. */
class LiquidTagTest {

  @Test
  void eachNonEmptyLineBecomesATagAtItsLine() {
    Token t =
        new Token(
            Kind.TAG, " assign a = 1\n\n  # a note\n  echo a\n", "liquid", 3, 5, false, false);

    List<Token> lines = LiquidTag.lines(t);

    assertThat(lines).extracting(l -> l.name).containsExactly("assign", "#", "echo");
    assertThat(lines).extracting(l -> l.text).containsExactly(" a = 1", " a note", " a");
    assertThat(lines).extracting(l -> l.line).containsExactly(3, 5, 6);
    assertThat(lines).extracting(l -> l.column).containsExactly(5, 1, 1);
    assertThat(lines).allSatisfy(l -> assertThat(l.kind).isEqualTo(Kind.TAG));
  }

  @Test
  void theTagsRenderInOrderAndAssignmentsOutliveTheTag() {
    Template template =
        Template.compile(
            "{% liquid\n assign a = 'x'\n for i in (1..2)\n echo a\n endfor %}[{{ a }}]",
            TemplateOptions.text());

    assertThat(template.render(Map.of())).isEqualTo("xx[x]");
  }
}
