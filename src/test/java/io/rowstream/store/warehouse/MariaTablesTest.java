package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MariaTablesTest {
  @Test
  void tablesAreNamedAsForPostgresButQuotedWithBackticks() {
    MariaTables t = new MariaTables(new PlannerTables("rowstream_planner", "orders-eu"));
    assertThat(t.delivered()).isEqualTo("`rowstream_planner`.`orders-eu_delivered`");
    assertThat(t.acks()).isEqualTo("`rowstream_planner`.`orders-eu_acks`");
    assertThat(t.meta()).isEqualTo("`rowstream_planner`.`orders-eu_meta`");
    assertThat(t.plan()).isEqualTo("`rowstream_planner`.`rowstream_plan`");
  }

  @Test
  void theLeaseIsALockNameWithinMariaDbsSixtyFourCharactersAndPerSync() {
    MariaTables a = new MariaTables(new PlannerTables("p", "x".repeat(200)));
    MariaTables b = new MariaTables(new PlannerTables("p", "y"));
    assertThat(a.leaseName()).hasSizeLessThanOrEqualTo(64).isNotEqualTo(b.leaseName());
  }

  @Test
  void backticksQuotesAndBackslashesAreEscaped() {
    assertThat(MariaDb.quote("a`b")).isEqualTo("`a``b`");
    assertThat(MariaDb.literal("it's a \\")).isEqualTo("'it''s a \\\\'");
  }

  @Test
  void theGranteeIsNamedAsGrantAndInformationSchemaNameIt() {
    assertThat(MariaCheck.grantee("reader@%")).isEqualTo("'reader'@'%'");
    assertThat(MariaCheck.grantee("o'brien@10.0.0.%")).isEqualTo("'o''brien'@'10.0.0.%'");
  }

  @Test
  void aFloatColumnIsWidenedToDoubleBeforeItIsPrintedForTheFingerprint() {
    MariaSql sql =
        new MariaSql(
            "select * from t;",
            "id",
            List.of(new PlanSql.Column("id", "INTEGER"), new PlanSql.Column("w", "FLOAT")),
            42,
            "d");
    assertThat(sql.fingerprint())
        .contains("quote(rowstream_model_row.`id`)")
        .contains("quote(cast(rowstream_model_row.`w` as double))")
        .contains("'42'");
    assertThat(sql.model()).doesNotContain(";");
  }
}
