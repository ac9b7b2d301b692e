package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.ShardListing;
import io.rowstream.delivery.StreamShard;
import io.rowstream.kinesis.KinesisDestination;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which shard a record would go to, when the stream's shard map can be read; and why not, when not.
 */
record Shards(Function<OutboundRecord, Optional<String>> shardOf, String note) {
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  static Shards offline() {
    return new Shards(r -> Optional.empty(), "not looked up (--offline)");
  }

  /** Lists the stream's open shards (ListShards); on any failure, says why and predicts nothing. */
  static Shards lookup(RowstreamConfig config, SyncConfig sync) {
    List<StreamShard> open;
    try (KinesisDestination kinesis =
        KinesisDestination.connect(config.destination(sync.destination()), LOOKUP_TIMEOUT)) {
      open = ShardListing.all(kinesis, sync.stream()).stream().filter(StreamShard::open).toList();
    } catch (RowstreamException e) {
      return new Shards(
          r -> Optional.empty(),
          "unknown (ListShards on " + sync.stream() + " failed: " + e.getMessage() + ")");
    }
    return new Shards(
        r -> open.stream().filter(s -> s.takes(r)).map(StreamShard::shardId).findFirst(),
        open.size() + " open shard(s) of " + sync.stream() + " (predicted from ListShards)");
  }
}
