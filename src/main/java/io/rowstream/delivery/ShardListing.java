package io.rowstream.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists a stream's shards, page by page, through the producer's gateway (which records each
 * ListShards call); the producer paces each shard by the map it returns. {@code null} when the
 * shards cannot be listed (denied, failed, or no usable map): the producer then paces stream-wide.
 */
final class ShardListing {
  private static final int MAX_SHARD_PAGES = 10_000;

  private ShardListing() {}

  static ShardMap list(Destination gateway, String stream) {
    List<StreamShard> shards = new ArrayList<>();
    Optional<String> token = Optional.empty();
    try {
      for (int page = 0; page < MAX_SHARD_PAGES; page++) {
        ShardPage answer = gateway.listShards(stream, token);
        shards.addAll(answer.shards());
        token = answer.nextToken();
        if (token.isEmpty()) {
          return new ShardMap(shards);
        }
      }
      return null;
    } catch (RuntimeException e) {
      // denied or failed, or a map that cannot be built (no open shard, a broken answer): pace
      // stream-wide instead
      return null;
    }
  }
}
