package io.rowstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanningSectionTest {
  @TempDir Path dir;

  private ConfigResult read(String sourceKeys, String type) throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    String source =
        type.equals("duckdb")
            ? "type: duckdb\n    path: m.duckdb\n"
            : "type: "
                + type
                + "\n    url: jdbc:"
                + (type.equals("mysql")
                    ? "mysql"
                    : type.equals("mariadb") ? "mariadb" : "postgresql")
                + "://127.0.0.1/db\n";
    Files.writeString(
        file,
        """
        sources:
          s:
            %s%s
        destinations:
          k: {type: kinesis, region: us-east-1}
        syncs:
          c: {source: s, table: t, primary_key: id, destination: k, stream: x}
        """
            .formatted(source, sourceKeys.indent(4).stripTrailing()));
    return ConfigReader.read(file, Map.of());
  }

  private List<String> problems(String sourceKeys, String type) throws IOException {
    return read(sourceKeys, type).problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void planningIsLocalByDefault() throws IOException {
    ConfigResult result = read("", "postgres");
    assertThat(result.problems()).isEmpty();
    assertThat(result.config().orElseThrow().source("s").planning())
        .isEqualTo(SourcePlanning.LOCAL);
    assertThat(SourcePlanning.LOCAL.schema()).isEqualTo("rowstream_planner");
  }

  @Test
  void warehousePlanningOnPostgresTakesTheDefaultOrTheGivenSchema() throws IOException {
    assertThat(
            read("planning: warehouse", "postgres").config().orElseThrow().source("s").planning())
        .isEqualTo(new SourcePlanning(SourcePlanning.Mode.WAREHOUSE, "rowstream_planner"));
    assertThat(
            read("planning: warehouse\nplanner_schema: rs_plans", "postgres")
                .config()
                .orElseThrow()
                .source("s")
                .planning())
        .isEqualTo(new SourcePlanning(SourcePlanning.Mode.WAREHOUSE, "rs_plans"));
    assertThat(read("planning: local", "postgres").config().orElseThrow().source("s").planning())
        .isEqualTo(SourcePlanning.LOCAL);
  }

  @Test
  void warehousePlanningOnAMysqlSourceIsReadWithItsPlannerDatabase() throws IOException {
    assertThat(
            read("planning: warehouse\nplanner_schema: rs_plans", "mysql")
                .config()
                .orElseThrow()
                .source("s")
                .planning())
        .isEqualTo(new SourcePlanning(SourcePlanning.Mode.WAREHOUSE, "rs_plans"));
  }

  @Test
  void aMariadbSourceIsAMysqlSourceAndMayPlanInTheWarehouse() throws IOException {
    SourceConfig source = read("planning: warehouse", "mariadb").config().orElseThrow().source("s");
    assertThat(source.type()).isEqualTo(SourceConfig.Type.MYSQL);
    assertThat(source.planning().inWarehouse()).isTrue();
  }

  @Test
  void warehousePlanningOnOtherSourcesIsAConfigErrorSayingWhichSupportIt() throws IOException {
    assertThat(problems("planning: warehouse", "duckdb"))
        .singleElement()
        .asString()
        .contains("sources.s.planning")
        .contains("warehouse planning supports postgres and mysql (MariaDB, MySQL) sources")
        .contains("this source is duckdb");
  }

  @Test
  void badValuesAreNamedWithWhatWouldBeValid() throws IOException {
    assertThat(problems("planning: remote", "postgres"))
        .singleElement()
        .asString()
        .contains("'remote' is not a planning mode; valid: local")
        .contains("warehouse");
    assertThat(problems("planning: warehouse\nplanner_schema: Bad-Name", "postgres"))
        .singleElement()
        .asString()
        .contains("'Bad-Name' is not a valid schema name");
    assertThat(problems("planner_schema: rs", "postgres"))
        .singleElement()
        .asString()
        .contains("is used only with planning: warehouse");
  }
}
