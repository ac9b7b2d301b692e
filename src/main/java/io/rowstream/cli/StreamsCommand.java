package io.rowstream.cli;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
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
    name = "streams",
    description = "List the destination's streams (ListStreams); or create one.")
final class StreamsCommand implements Callable<Integer> {
  private static final String STREAM_NAME = "[A-Za-z0-9_.-]{1,128}";

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEST", description = "a destination of the config")
  String destination;

  @Option(
      names = "--create",
      paramLabel = "STREAM",
      description = "create this stream and wait until it is ACTIVE")
  String create;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "shards of the stream to create (default: 1)")
  int shards;

  @Override
  public Integer call() {
    if (create != null) {
      Limits.atLeastOne("--shards", shards);
      if (!create.matches(STREAM_NAME)) {
        throw RowstreamException.user(
            ErrorCode.USAGE_ERROR,
            "--create '"
                + create
                + "' is not a valid stream name: 1 to 128 of letters, "
                + "digits, _ . -");
      }
    }
    try (KinesisDestination kinesis =
        KinesisDestination.connect(config.load().destination(destination))) {
      StreamAdmin admin = new StreamAdmin(kinesis);
      if (create != null) {
        admin.createStream(create, shards);
        spec.commandLine()
            .getOut()
            .println("created stream " + create + " with " + shards + " shard(s)");
        return Main.EXIT_OK;
      }
      admin.streams().forEach(spec.commandLine().getOut()::println);
    }
    return Main.EXIT_OK;
  }
}
