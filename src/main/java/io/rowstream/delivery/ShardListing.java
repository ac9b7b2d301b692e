package io.rowstream.delivery;

import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists a stream's shards, page by page, recording each ListShards call; the producer paces each
 * shard by the map it returns. {@code null} when the shards cannot be listed (denied, failed, or no
 * usable map): the producer then paces stream-wide.
 */
final class ShardListing {
  private static final int MAX_SHARD_PAGES = 10_000;

  private ShardListing() {}

  static ShardMap list(Destination destination, String stream, CallLog calls) {
    List<StreamShard> shards = new ArrayList<>();
    Optional<String> token = Optional.empty();
    try {
      for (int page = 0; page < MAX_SHARD_PAGES; page++) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        try {
          ShardPage answer = destination.listShards(stream, token);
          calls.record(
              ApiCall.answered(
                  "ListShards",
                  started,
                  Duration.ofNanos(System.nanoTime() - start),
                  1,
                  ApiCall.Payload.NONE,
                  answer.httpStatus(),
                  answer.requestId(),
                  List.of()));
          shards.addAll(answer.shards());
          token = answer.nextToken();
        } catch (RowstreamException e) {
          calls.record(
              ApiCall.failed(
                  "ListShards",
                  started,
                  Duration.ofNanos(System.nanoTime() - start),
                  1,
                  ApiCall.Payload.NONE,
                  e));
          return null;
        }
        if (token.isEmpty()) {
          return new ShardMap(shards);
        }
      }
      return null;
    } catch (RuntimeException e) {
      // a map that cannot be built (no open shard, a broken answer): pace stream-wide instead
      return null;
    }
  }
}
