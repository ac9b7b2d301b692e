package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stream chores around a sync, through the gateway: list the streams, create one (emulators,
 * trials) and read back what landed. Not on the send path. Every error is fatal: a person waits for
 * the answer, and a retry is theirs to make.
 */
public final class StreamAdmin {
  /** How long {@link #createStream} waits for the stream to become ACTIVE. */
  public static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

  /** The most records one GetRecords call returns, as Kinesis allows. */
  static final int MAX_RECORDS_PER_CALL = 10_000;

  private static final Duration ACTIVE_POLL = Duration.ofMillis(100);

  /** One record as it sits on the stream, its data as UTF-8 text. */
  public record Landed(String shardId, String sequenceNumber, String partitionKey, String data) {}

  private final Destination gateway;

  public StreamAdmin(Destination gateway) {
    this.gateway = requireNonNull(gateway, "gateway is null");
  }

  /** Every stream of the account and region, following the ListStreams pages. */
  public List<String> streams() {
    List<String> names = new ArrayList<>();
    try {
      StreamPage page = gateway.listStreams(Optional.empty());
      names.addAll(page.streams());
      while (page.hasMore() && !page.streams().isEmpty()) {
        page = gateway.listStreams(Optional.of(names.get(names.size() - 1)));
        names.addAll(page.streams());
      }
    } catch (RowstreamException e) {
      throw fatal(e);
    }
    return names;
  }

  /** Creates the stream and waits until it is ACTIVE, at most {@link #ACTIVE_TIMEOUT}. */
  public void createStream(String stream, int shards) {
    try {
      gateway.createStream(stream, shards);
      Instant deadline = Instant.now().plus(ACTIVE_TIMEOUT);
      while (!gateway.describeStream(stream).active()) {
        if (Instant.now().isAfter(deadline)) {
          throw RowstreamException.fatal(
              ErrorCode.SERVICE_ERROR,
              "stream " + stream + " is not ACTIVE after " + ACTIVE_TIMEOUT.toSeconds() + "s");
        }
        Thread.sleep(ACTIVE_POLL.toMillis());
      }
    } catch (RowstreamException e) {
      throw fatal(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RowstreamException.fatal("interrupted");
    }
  }

  /**
   * Reads the stream from its oldest record, shard by shard in ListShards order, each in sequence
   * order, and hands each record to {@code each} until {@code limit} records were read: no call
   * asks for more records than are still wanted, and none is made once they are all there.
   *
   * @return how many records were read, at most {@code limit}
   */
  public int read(String stream, int limit, Consumer<Landed> each) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    int read = 0;
    try {
      for (StreamShard shard : ShardListing.all(gateway, stream)) {
        Optional<String> iterator =
            Optional.of(gateway.oldestIterator(stream, shard.shardId()).iterator());
        while (iterator.isPresent() && read < limit) {
          RecordsPage page =
              gateway.getRecords(iterator.get(), Math.min(MAX_RECORDS_PER_CALL, limit - read));
          for (StoredRecord r : page.records()) {
            if (read == limit) {
              break; // a destination may answer with more than asked for
            }
            each.accept(
                new Landed(
                    shard.shardId(),
                    r.sequenceNumber(),
                    r.partitionKey(),
                    new String(r.data(), StandardCharsets.UTF_8)));
            read++;
          }
          iterator = page.caughtUp() ? Optional.empty() : page.nextIterator();
        }
        if (read == limit) {
          break;
        }
      }
    } catch (RowstreamException e) {
      throw fatal(e);
    }
    return read;
  }

  private static RowstreamException fatal(RowstreamException e) {
    return e.kind() == RowstreamException.Kind.FATAL
        ? e
        : new DestinationException(
            e.code(),
            RowstreamException.Kind.FATAL,
            e.getMessage(),
            e.getCause(),
            e instanceof DestinationException d ? d.errorCode() : null,
            e instanceof DestinationException d ? d.httpStatus() : 0,
            e instanceof DestinationException d ? d.requestId() : Optional.empty());
  }
}
