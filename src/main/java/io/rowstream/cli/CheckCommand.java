package io.rowstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.DestinationConfig;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.kinesis.AccessCheck;
import io.rowstream.kinesis.AccessCheck.Finding;
import io.rowstream.kinesis.AccessCheck.Report;
import io.rowstream.store.warehouse.WarehouseCheck;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    description = "Check a destination's credentials and permissions; name what is missing.",
    footer =
        "Exit codes: 0 every required permission is there (PutRecords, ListStreams), 1 something required is "
            + "missing, 2 usage or config error.")
final class CheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEST", description = "a destination of the config")
  String destination;

  @Option(
      names = "--stream",
      paramLabel = "STREAM",
      description = "the stream to check (default: the streams of the syncs that use DEST)")
  List<String> streams;

  @Option(
      names = "--put-test-record",
      description =
          "prove PutRecords by putting one record with partition key "
              + AccessCheck.TEST_RECORD_PARTITION_KEY
              + " on each stream")
  boolean putTestRecord;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Override
  public Integer call() {
    RowstreamConfig c = config.load();
    DestinationConfig d = c.destination(destination);
    List<String> targets =
        streams != null
            ? streams
            : c.syncs().values().stream()
                .filter(s -> s.destination().equals(destination))
                .map(SyncConfig::stream)
                .distinct()
                .toList();
    Report report = AccessCheck.run(d, targets, putTestRecord);
    Map<String, List<WarehouseCheck.Finding>> warehouse = warehouseChecks(c);
    boolean warehouseOk =
        warehouse.values().stream().flatMap(List::stream).allMatch(WarehouseCheck.Finding::ok);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = toJson(report);
      o.put("ok", report.ok() && warehouseOk);
      ObjectNode sources = o.putObject("warehouse_planning");
      warehouse.forEach(
          (source, findings) -> {
            ArrayNode list = sources.putArray(source);
            findings.forEach(
                f ->
                    list.addObject()
                        .put("check", f.check())
                        .put("ok", f.ok())
                        .put("detail", f.detail()));
          });
      out.println(o);
    } else {
      print(report, targets, out);
      warehouse.forEach(
          (source, findings) -> {
            out.printf(
                "source %s: planning in the warehouse, schema %s%n",
                source, c.source(source).planning().schema());
            for (WarehouseCheck.Finding f : findings) {
              out.printf("  %-10s %-20s %s%n", f.ok() ? "ok" : "missing", f.check(), f.detail());
            }
          });
      if (!warehouseOk) {
        out.println("result: the planner schema cannot be written; add the grants named above");
      }
    }
    return report.ok() && warehouseOk ? Main.EXIT_OK : Main.EXIT_FAILED;
  }

  /**
   * For each source that plans in the warehouse, used by a sync of this destination: whether its
   * planner schema can be created and written (and the grants to add).
   */
  private Map<String, List<WarehouseCheck.Finding>> warehouseChecks(RowstreamConfig c) {
    Map<String, List<String>> syncsBySource = new TreeMap<>();
    for (SyncConfig s : c.syncs().values()) {
      if (s.destination().equals(destination) && c.source(s.source()).planning().inWarehouse()) {
        syncsBySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s.name());
      }
    }
    Map<String, List<WarehouseCheck.Finding>> findings = new TreeMap<>();
    syncsBySource.forEach(
        (source, syncs) -> findings.put(source, WarehouseCheck.run(c.source(source), syncs)));
    return findings;
  }

  private static void print(Report report, List<String> targets, PrintWriter out) {
    out.printf(
        "destination %s: region %s, endpoint %s%n",
        report.destination(), report.region(), report.endpoint());
    for (Finding f : report.findings()) {
      out.printf(
          "  %-10s %-20s %s%s%n",
          f.status().label(), f.check(), f.stream().map(s -> s + ": ").orElse(""), f.detail());
    }
    if (targets.isEmpty()) {
      out.println("no stream checked: no sync uses this destination; name one with --stream");
    }
    List<Finding> blocking = report.findings().stream().filter(Finding::blocks).toList();
    if (blocking.isEmpty()) {
      boolean unverified =
          report.findings().stream()
              .anyMatch(f -> f.status() == AccessCheck.Status.NOT_VERIFIED && f.required());
      out.println(
          unverified
              ? "result: nothing required is missing as far as can be seen without sending"
              : "result: every required permission is there");
    } else {
      out.println(
          "result: missing: "
              + String.join(
                  ", ",
                  blocking.stream()
                      .map(f -> f.check() + f.stream().map(s -> " on " + s).orElse(""))
                      .toList()));
    }
  }

  private static ObjectNode toJson(Report report) {
    ObjectNode o = JSON.createObjectNode();
    o.put("destination", report.destination());
    o.put("region", report.region());
    o.put("endpoint", report.endpoint());
    o.put("credentials", report.credentials());
    o.put("access_key_id", report.accessKeyId().orElse(null));
    o.put("ok", report.ok());
    ArrayNode findings = o.putArray("findings");
    for (Finding f : report.findings()) {
      findings
          .addObject()
          .put("check", f.check())
          .put("stream", f.stream().orElse(null))
          .put("status", f.status().label())
          .put("required", f.required())
          .put("detail", f.detail());
    }
    return o;
  }
}
