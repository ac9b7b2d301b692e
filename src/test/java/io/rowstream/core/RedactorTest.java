package io.rowstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void aSecretIsScrubbedAsWrittenAndAsJsonUrlAndXmlWouldEscapeIt() {
    String secret = "p\"a/s+s=w&o<rd";
    Redactor r = Redactor.of(List.of(secret));

    assertThat(r.scrub("echo: " + secret)).isEqualTo("echo: ****");
    assertThat(r.scrub("{\"m\": \"p\\\"a/s+s=w&o<rd\"}")).isEqualTo("{\"m\": \"****\"}");
    assertThat(r.scrub("Secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)))
        .doesNotContain("w%26o");
    assertThat(r.scrub("<m>p&quot;a/s+s=w&amp;o&lt;rd</m>")).isEqualTo("<m>****</m>");
  }

  @Test
  void theLongestSecretIsScrubbedFirstSoNoPartOfItRemains() {
    Redactor r = Redactor.of(List.of("abcd", "abcdefgh-long"));

    assertThat(r.scrub("x abcdefgh-long y abcd")).isEqualTo("x **** y ****");
  }

  @Test
  void valuesShorterThanFourCharactersAndNullsAreNotScrubbedByValue() {
    Redactor r = Redactor.of(java.util.Arrays.asList("abc", null));

    assertThat(r.scrub("abc is a word")).isEqualTo("abc is a word");
  }

  @Test
  void theUserInfoOfAnyUrlIsScrubbedWithoutAConfig() {
    Redactor r = Redactor.SHAPES_ONLY;

    assertThat(r.scrub("cannot connect to jdbc:mysql://app:s3cr3t@db.internal:3306/shop"))
        .isEqualTo("cannot connect to jdbc:mysql://app:****@db.internal:3306/shop");
    assertThat(r.scrub("endpoint http://u:p@127.0.0.1:4567 refused"))
        .isEqualTo("endpoint http://u:****@127.0.0.1:4567 refused");
    assertThat(r.scrub("https://ghp_token123@github.com/x")).isEqualTo("https://****@github.com/x");
    assertThat(r.scrub("jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
    assertThat(r.scrub("jdbc:sqlserver://h;databaseName=d;password=hunter2"))
        .endsWith(";password=****");
  }

  @Test
  void textWithoutSecretsIsLeftAsItIs() {
    String text = "see http://127.0.0.1:4567/path?x=1 and mail a@b.com; stream 'orders' at 10:00";

    assertThat(Redactor.of(List.of("unrelated-secret")).scrub(text)).isEqualTo(text);
  }

  @Test
  void awsShapedCredentialsAreScrubbedEvenWhenNotConfigured() {
    String text =
        "X-Amz-Security-Token: FQoGZXIvYXdzEJr Signature=abcdef0123 key AKIAABCDEFGHIJKL1234";

    assertThat(Redactor.SHAPES_ONLY.scrub(text))
        .isEqualTo("X-Amz-Security-Token: **** Signature=**** key ****1234");
  }

  @Test
  void theSecretsOfAUrlAreItsPasswordAndItsPasswordParameters() {
    assertThat(Redactor.secretsOf("jdbc:mariadb://app:s3cr3t@db:3306/x?password=other"))
        .containsExactly("s3cr3t", "other");
    assertThat(Redactor.secretsOf("https://tok123@hooks.example.com/x")).containsExactly("tok123");
    assertThat(Redactor.secretsOf("http://127.0.0.1:4567")).isEmpty();
  }

  @Test
  void nullAndEmptyTextStayAsTheyAre() {
    assertThat(Redactor.SHAPES_ONLY.scrub(null)).isNull();
    assertThat(Redactor.SHAPES_ONLY.scrub("")).isEmpty();
  }
}
