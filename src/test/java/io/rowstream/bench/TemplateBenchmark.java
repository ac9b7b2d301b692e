package io.rowstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.core.Json;
import io.rowstream.template.Template;
import io.rowstream.template.TemplateOptions;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.filters.Filter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Renders the seed message template (contact_info.liquid) for one realistic row with our engine
 * (JSON mode; the row as a Jackson tree, as rows arrive, and as Java maps) and with Liqp 0.9.2.3
 * (the same template and data as Java maps; Liqp needs no escaping), in the same JMH run. Run:
 * ./bench/run liquid
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g", "-Duser.timezone=UTC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TemplateBenchmark {
  private static final String ROW =
      """
      {"id": 42, "full_name": "Ada \\"The Countess\\" Lovelace", "email": "Ada.Lovelace@Example.COM",
       "age": 36, "balance": 1234.50, "signed_up_at": "2026-01-01T00:37:00.123456Z",
       "tags": ["math", "poetry", "engines"], "vip": false}
      """;

  /** The 3-field example, where Liqp is reported at ~155k renders/s on one core. */
  static final String THREE_FIELDS =
      "{\"name\": \"{{row.full_name}}\", \"age\": {{row.age}}, " + "\"email\": \"{{row.email}}\"}";

  private Template ours;
  private liqp.Template liqp;
  private Template oursNoDate;
  private liqp.Template liqpNoDate;
  private Template oursThree;
  private liqp.Template liqpThree;
  private Map<String, Object> treeVariables;
  private Map<String, Object> mapVariables;

  static String seedTemplate() throws IOException {
    try (InputStream in =
        TemplateBenchmark.class.getResourceAsStream("/io/rowstream/cli/contact_info.liquid")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Setup
  public void setUp() throws IOException {
    String source = seedTemplate();
    ObjectMapper mapper = Json.EXACT;
    JsonNode row = mapper.readTree(ROW);
    treeVariables = Map.of("row", row, "op", "added", "sync", "customers");

    Map<String, Object> rowMap = new LinkedHashMap<>();
    rowMap.put("id", 42L);
    rowMap.put("full_name", "Ada \"The Countess\" Lovelace");
    rowMap.put("email", "Ada.Lovelace@Example.COM");
    rowMap.put("age", 36L);
    rowMap.put("balance", new BigDecimal("1234.50"));
    rowMap.put("signed_up_at", "2026-01-01T00:37:00.123456Z");
    rowMap.put("tags", List.of("math", "poetry", "engines"));
    rowMap.put("vip", false);
    mapVariables = Map.of("row", rowMap, "op", "added", "sync", "customers");

    ours = Template.compile(source, TemplateOptions.json());
    // Liqp has no json filter: a minimal one (Jackson) so it renders the same template
    ObjectMapper plain = new ObjectMapper();
    TemplateParser parser =
        new TemplateParser.Builder()
            .withFilter(
                new Filter("json") {
                  @Override
                  public Object apply(Object value, TemplateContext context, Object... params) {
                    try {
                      return plain.writeValueAsString(value);
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                })
            .build();
    liqp = parser.parse(source);
    // Liqp's date filter dominates its time on the seed template: the same template without it
    String noDate = source.replace(" | date: \"%Y-%m-%d\"", "");
    oursNoDate = Template.compile(noDate, TemplateOptions.json());
    liqpNoDate = parser.parse(noDate);
    oursThree = Template.compile(THREE_FIELDS, TemplateOptions.json());
    liqpThree = parser.parse(THREE_FIELDS);

    mapper.readTree(ours.render(treeVariables));
    mapper.readTree(ours.render(mapVariables));
  }

  @Benchmark
  public String oursJsonModeJacksonRow() {
    return ours.render(treeVariables);
  }

  @Benchmark
  public String oursJsonModeMapRow() {
    return ours.render(mapVariables);
  }

  @Benchmark
  public String liqpMapRow() {
    return liqp.render(mapVariables);
  }

  @Benchmark
  public String oursJsonModeWithoutDateFilter() {
    return oursNoDate.render(treeVariables);
  }

  @Benchmark
  public String liqpWithoutDateFilter() {
    return liqpNoDate.render(mapVariables);
  }

  @Benchmark
  public String oursJsonModeThreeFields() {
    return oursThree.render(mapVariables);
  }

  @Benchmark
  public String liqpThreeFields() {
    return liqpThree.render(mapVariables);
  }

  /** Prints what each engine renders, to compare by eye. */
  public static void main(String[] args) throws IOException {
    TemplateBenchmark b = new TemplateBenchmark();
    b.setUp();
    System.out.println("ours (Jackson row):\n" + b.oursJsonModeJacksonRow());
    System.out.println("ours (map row):\n" + b.oursJsonModeMapRow());
    System.out.println("liqp:\n" + b.liqpMapRow());
  }
}
