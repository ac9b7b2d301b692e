package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlannerTablesTest {
  @Test
  void tablesAreNamedFromTheSyncAndQuoted() {
    PlannerTables t = new PlannerTables("rowstream_planner", "orders-eu");
    assertThat(t.delivered()).isEqualTo("\"rowstream_planner\".\"orders-eu_delivered\"");
    assertThat(t.acks()).isEqualTo("\"rowstream_planner\".\"orders-eu_acks\"");
    assertThat(t.meta()).isEqualTo("\"rowstream_planner\".\"orders-eu_meta\"");
  }

  @Test
  void aLongSyncNameIsCutToPostgresLimitWithoutTwoSyncsSharingATable() {
    String a = "a".repeat(60) + "_one";
    String b = "a".repeat(60) + "_two";
    String nameA = new PlannerTables("s", a).name("delivered");
    String nameB = new PlannerTables("s", b).name("delivered");
    assertThat(nameA.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(nameA).isNotEqualTo(nameB);
  }

  @Test
  void quotesInAnIdentifierAreDoubled() {
    assertThat(PlannerTables.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(PlannerTables.literal("it's")).isEqualTo("'it''s'");
  }

  @Test
  void aQueryLosesTheSemicolonsThatEndItSoItCanBeASubquery() {
    assertThat(PlanSql.withoutTrailingSemicolons(" select 1 ; ;\n")).isEqualTo("select 1");
    assertThat(PlanSql.withoutTrailingSemicolons("select ';'")).isEqualTo("select ';'");
  }
}
