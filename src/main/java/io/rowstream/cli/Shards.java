package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.delivery.OutboundRecord;
import java.util.Optional;
import java.util.function.Function;

/** Which shard a record would go to, when the stream's shard map can be read; and why not, when not. */
record Shards(Function<OutboundRecord, Optional<String>> shardOf, String note) {
  static Shards offline() {
    return new Shards(r -> Optional.empty(), "not looked up (--offline)");
  }

  static Shards lookup(RowstreamConfig config, SyncConfig sync) {
    return new Shards(r -> Optional.empty(), "unknown: reading the shard map is not built yet");
  }
}
