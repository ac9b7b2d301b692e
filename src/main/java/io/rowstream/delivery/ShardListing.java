package io.rowstream.delivery;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists a stream's shards, following the ListShards pages, through a gateway (so a recording
 * decorator records each call): the one place the pages are followed, for the producer's shard map,
 * {@code preview}'s shard prediction and {@code read}.
 */
public final class ShardListing {
  /** More pages than any stream has (10,000 shards at 100 a page and more): a broken answer. */
  static final int MAX_SHARD_PAGES = 10_000;

  private ShardListing() {}

  /**
   * Every shard of the stream, open and closed, in the order ListShards gives them.
   *
   * @throws RowstreamException what the gateway threw, or a fatal error when the pages never end
   */
  public static List<StreamShard> all(Destination gateway, String stream) {
    List<StreamShard> shards = new ArrayList<>();
    Optional<String> token = Optional.empty();
    for (int page = 0; page < MAX_SHARD_PAGES; page++) {
      ShardPage answer = gateway.listShards(stream, token);
      shards.addAll(answer.shards());
      token = answer.nextToken();
      if (token.isEmpty()) {
        return shards;
      }
    }
    throw RowstreamException.fatal(
        ErrorCode.SERVICE_ERROR,
        "ListShards on stream " + stream + " gave more than " + MAX_SHARD_PAGES + " pages");
  }

  /**
   * The producer's map of the open shards; {@code null} when the shards cannot be listed (denied,
   * failed, or no usable map): the producer then paces stream-wide.
   */
  static ShardMap map(Destination gateway, String stream) {
    try {
      return new ShardMap(all(gateway, stream));
    } catch (RuntimeException e) {
      // denied or failed, or a map that cannot be built (no open shard, a broken answer): pace
      // stream-wide instead
      return null;
    }
  }
}
