package io.rowstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.core.Json;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.message.Rendered;
import io.rowstream.run.Preview;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "preview",
    description =
        "Render the first rows of a sync: data, partition key, explicit hash key, "
            + "shard. Sends nothing; the state does not change.")
final class PreviewCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SYNC")
  String sync;

  @Option(
      names = {"-n", "--rows"},
      paramLabel = "N",
      defaultValue = "5",
      description = "rows to render (default 5)")
  int rows;

  @Option(
      names = "--op",
      paramLabel = "EVENT",
      defaultValue = "added",
      description = "render the rows as this event: added, changed or removed (default added)")
  String op;

  @Option(names = "--offline", description = "do not ask Kinesis for the shard map (no network)")
  boolean offline;

  @Option(names = "--json", description = "one JSON object per row")
  boolean json;

  @Override
  public Integer call() throws IOException {
    var loaded = config.load();
    if (rows < 1 || rows > 10_000) {
      throw RowstreamException.user(
          ErrorCode.USAGE_ERROR, "-n must be from 1 to 10000, not " + rows);
    }
    EventType event =
        EventType.parse(op)
            .orElseThrow(
                () ->
                    RowstreamException.user(
                        ErrorCode.USAGE_ERROR,
                        "--op '" + op + "' is not an event; valid: added, changed, removed"));
    List<Preview.Row> rendered = new Preview(loaded, Clock.systemUTC()).render(sync, rows, event);
    Shards shards = offline ? Shards.offline() : Shards.lookup(loaded, loaded.sync(sync));
    PrintWriter out = spec.commandLine().getOut();
    if (!json && !shards.note().isEmpty()) {
      out.println("shards: " + shards.note());
    }
    int n = 0;
    for (Preview.Row row : rendered) {
      n++;
      if (json) {
        out.println(asJson(row, event, shards.shardOf()));
      } else {
        print(out, n, rendered.size(), row, event, shards.shardOf());
      }
    }
    if (rendered.isEmpty() && !json) {
      out.println("the model has no rows");
    }
    return Main.EXIT_OK;
  }

  private static void print(
      PrintWriter out,
      int n,
      int total,
      Preview.Row row,
      EventType event,
      Function<OutboundRecord, Optional<String>> shardOf)
      throws IOException {
    out.printf(
        "row %d of %d: primary key %s (%s)%n",
        n, total, row.key() == null ? "NULL" : row.key(), event.label());
    if (row.rendered() instanceof Rendered.Invalid bad) {
      out.printf("  rejected: %s: %s%n", bad.reason(), bad.message());
      return;
    }
    OutboundRecord record = ((Rendered.Record) row.rendered()).record();
    out.printf("  partition key:     %s%n", record.partitionKey());
    out.printf("  explicit hash key: %s%n", record.explicitHashKey().orElse("(none)"));
    out.printf("  shard:             %s%n", shardOf.apply(record).orElse("(unknown)"));
    out.printf("  data (%d bytes):%n", record.data().length);
    JsonNode data = Json.EXACT.readTree(record.data());
    for (String line :
        Json.EXACT.writerWithDefaultPrettyPrinter().writeValueAsString(data).split("\n")) {
      out.println("    " + line);
    }
  }

  private static String asJson(
      Preview.Row row, EventType event, Function<OutboundRecord, Optional<String>> shardOf)
      throws IOException {
    ObjectNode o = Json.EXACT.createObjectNode();
    o.put("key", row.key());
    o.put("op", event.label());
    if (row.rendered() instanceof Rendered.Invalid bad) {
      o.put("rejected", bad.reason());
      o.put("message", bad.message());
    } else {
      OutboundRecord record = ((Rendered.Record) row.rendered()).record();
      o.put("partition_key", record.partitionKey());
      o.put("explicit_hash_key", record.explicitHashKey().orElse(null));
      o.put("shard", shardOf.apply(record).orElse(null));
      o.set("data", Json.EXACT.readTree(new String(record.data(), StandardCharsets.UTF_8)));
    }
    return o.toString();
  }
}
