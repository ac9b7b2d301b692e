package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Dates read from text: ISO-8601 by hand, then common English forms. */
class DateReaderTest {

  @Test
  void isoTimestampsKeepTheirOffsetAndFraction() {
    assertThat(DateReader.iso("2016-03-14T10:30:00+05:30"))
        .isEqualTo(ZonedDateTime.parse("2016-03-14T10:30:00+05:30"));
    assertThat(DateReader.iso("2016-03-14 10:30:00.123 UTC"))
        .isEqualTo(ZonedDateTime.parse("2016-03-14T10:30:00.123Z"));
    assertThat(DateReader.iso("2016-03-14")).isEqualTo(ZonedDateTime.parse("2016-03-14T00:00:00Z"));
    assertThat(DateReader.iso("2016-12-31T23:59:60Z"))
        .isEqualTo(ZonedDateTime.parse("2016-12-31T23:59:59Z"));
  }

  @Test
  void textThatIsNotAnIsoDateIsNullNotAnError() {
    assertThat(DateReader.iso("2016-02-30")).isNull();
    assertThat(DateReader.iso("2016-03-14T25:00")).isNull();
    assertThat(DateReader.iso("2016-03-14T10:30+0530x")).isNull();
    assertThat(DateReader.iso("March 14, 2016")).isNull();
  }

  @Test
  void englishDatesAreReadWithTheirTimeAndOffset() {
    assertThat(DateReader.words("March 14, 2016"))
        .isEqualTo(ZonedDateTime.parse("2016-03-14T00:00:00Z"));
    assertThat(DateReader.words("Tue, 14 Mar 2016 10:30:00 +0200"))
        .isEqualTo(ZonedDateTime.parse("2016-03-14T10:30:00+02:00"));
    assertThat(DateReader.words("14 Sept 2016 2:30 pm"))
        .isEqualTo(ZonedDateTime.parse("2016-09-14T14:30:00Z"));
    assertThat(DateReader.words("not a date")).isNull();
    assertThat(DateReader.words("February 30 2016")).isNull();
  }
}
