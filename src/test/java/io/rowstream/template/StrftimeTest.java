package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Ruby's strftime: directives, flags and widths. */
class StrftimeTest {
  private static final ZonedDateTime T = ZonedDateTime.parse("2016-03-04T05:06:07.123456789-02:30");

  @Test
  void directivesWriteTheirFieldsPaddedAsInRuby() {
    assertThat(Strftime.strftime(T, "%Y-%m-%d %H:%M:%S %z")).isEqualTo("2016-03-04 05:06:07 -0230");
    assertThat(Strftime.strftime(T, "%B %b %A %a %j")).isEqualTo("March Mar Friday Fri 064");
    assertThat(Strftime.strftime(T, "%I:%M %p %e|%k")).isEqualTo("05:06 AM  4| 5");
    assertThat(Strftime.strftime(T, "%L %N %3N %:z %Z"))
        .isEqualTo("123 123456789 123 -02:30 -02:30");
    assertThat(Strftime.strftime(T, "%F %T %D")).isEqualTo("2016-03-04 05:06:07 03/04/16");
  }

  @Test
  void flagsAndWidthsChangePaddingAndCase() {
    assertThat(Strftime.strftime(T, "%-d/%-m %_3d %05Y")).isEqualTo("4/3   4 02016");
    assertThat(Strftime.strftime(T, "%^B %#p %10A")).isEqualTo("MARCH am     Friday");
  }

  @Test
  void unknownDirectivesAndATrailingPercentAreKeptAsWritten() {
    assertThat(Strftime.strftime(T, "%q 100%")).isEqualTo("%q 100%");
    assertThat(Strftime.strftime(T, "%%Y")).isEqualTo("%Y");
  }

  @Test
  void utcIsNamedAndSecondsSinceTheEpochAreUtc() {
    ZonedDateTime utc = ZonedDateTime.parse("1970-01-02T00:00:00Z");
    assertThat(Strftime.strftime(utc, "%Z %z %s")).isEqualTo("UTC +0000 86400");
  }
}
