package io.rowstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.Json;
import io.rowstream.delivery.StreamAdmin;
import io.rowstream.kinesis.KinesisDestination;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "read",
    description =
        "Print the records on a stream, oldest first, one JSON line each "
            + "(shard, sequence number, partition key, data).")
final class ReadCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.EXACT;

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEST")
  String destination;

  @Parameters(index = "1", paramLabel = "STREAM")
  String stream;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "1000",
      description = "print at most this many (default: 1000)")
  int limit;

  @Override
  public Integer call() throws Exception {
    Limits.atLeastOne("-n/--limit", limit);
    try (KinesisDestination kinesis =
        KinesisDestination.connect(config.load().destination(destination))) {
      int read = new StreamAdmin(kinesis).read(stream, limit, this::print);
      spec.commandLine()
          .getErr()
          .println(
              read
                  + " record(s) on "
                  + stream
                  + (read == limit ? " (stopped at -n " + limit + "; more may follow)" : ""));
    }
    return Main.EXIT_OK;
  }

  private void print(StreamAdmin.Landed r) {
    ObjectNode line = JSON.createObjectNode();
    line.put("shard", r.shardId());
    line.put("sequence_number", r.sequenceNumber());
    line.put("partition_key", r.partitionKey());
    try {
      line.set("data", JSON.readTree(r.data()));
    } catch (Exception notJson) {
      line.put("data", r.data());
    }
    spec.commandLine().getOut().println(line);
  }
}
