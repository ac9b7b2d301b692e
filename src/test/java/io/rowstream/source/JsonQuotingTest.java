package io.rowstream.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Quoting for JSON strings that keeps lone surrogates as escapes. */
class JsonQuotingTest {

  private static String quoted(String s) {
    return new String(JsonQuoting.keepingLoneSurrogates(s));
  }

  @Test
  void textWithoutLoneSurrogatesIsQuotedAsJacksonQuotesIt() {
    assertThat(quoted("plain")).isEqualTo("plain");
    assertThat(quoted("a \"q\" \\ b\n")).isEqualTo("a \\\"q\\\" \\\\ b\\n");
    assertThat(quoted("pair \uD83D\uDE00 kept")).isEqualTo("pair \uD83D\uDE00 kept");
    assertThat(quoted("")).isEmpty();
  }

  @Test
  void loneSurrogatesBecomeLowerCaseEscapesWhereverTheyStand() {
    assertThat(quoted("\uD800")).isEqualTo("\\ud800");
    assertThat(quoted("a\uDC00b")).isEqualTo("a\\udc00b");
    assertThat(quoted("\"\uD800\"\uDFFF")).isEqualTo("\\\"\\ud800\\\"\\udfff");
  }

  @Test
  void aHighSurrogateBeforeAPairIsEscapedAndThePairKept() {
    assertThat(quoted("\uD800\uD83D\uDE00")).isEqualTo("\\ud800\uD83D\uDE00");
    assertThat(quoted("x\uD83D\uDE00\uDE00")).isEqualTo("x\uD83D\uDE00\\ude00");
  }
}
