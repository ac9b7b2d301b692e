package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.template.Tokenizer.Kind;
import io.rowstream.template.Tokenizer.Token;
import org.junit.jupiter.api.Test;

/** The markup of for and tablerow tags, read before their bodies. */
class LoopHeaderTest {

  private static LoopHeader header(String tag, String markup) {
    Token t = new Token(Kind.TAG, markup, tag, 2, 7, false, false);
    return LoopHeader.parse(t, new ExprParser(t.text, t.line, t.column));
  }

  @Test
  void aForTagReadsItsVariableCollectionAndParameters() {
    LoopHeader h = header("for", " item in site.products limit: 2 offset: continue reversed ");

    assertThat(h.tablerow()).isFalse();
    assertThat(h.variable()).isEqualTo("item");
    assertThat(h.collectionText()).isEqualTo("site.products");
    assertThat(h.limit()).isNotNull();
    assertThat(h.offsetContinue()).isTrue();
    assertThat(h.offset()).isNull();
    assertThat(h.reversed()).isTrue();
    assertThat(h.cols()).isNull();
  }

  @Test
  void theLastOffsetGivenWins() {
    LoopHeader h = header("for", "x in xs offset: continue, offset: 3");

    assertThat(h.offsetContinue()).isFalse();
    assertThat(h.offset()).isNotNull();
  }

  @Test
  void onlyTablerowTakesCols() {
    assertThat(header("tablerow", "c in cells cols: 3").cols()).isNotNull();
    assertThatThrownBy(() -> header("for", "c in cells cols: 3"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("expected limit:, offset: or reversed");
  }

  @Test
  void aMissingInNamesWhatWasFound() {
    assertThatThrownBy(() -> header("for", "item products"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("expected 'in' after the loop variable");
  }
}
