package io.rowstream.delivery;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A hand-written gateway over streams held in memory, answering in small pages so that paging is
 * exercised: {@code shardsPerPage} shards per ListShards page, {@code streamsPerPage} names per
 * ListStreams page. It notes every call it answers, and the limit of each GetRecords call.
 */
final class InMemoryKinesis implements Destination {
  private final int shardsPerPage;
  private final int streamsPerPage;
  private final Map<String, Map<String, List<String>>> streams = new TreeMap<>();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> recordLimits = Collections.synchronizedList(new ArrayList<>());

  InMemoryKinesis(int shardsPerPage, int streamsPerPage) {
    this.shardsPerPage = shardsPerPage;
    this.streamsPerPage = streamsPerPage;
  }

  /** Adds a stream whose shard {@code i} holds {@code recordsPerShard[i]} records. */
  InMemoryKinesis stream(String name, int... recordsPerShard) {
    Map<String, List<String>> shards = new LinkedHashMap<>();
    for (int i = 0; i < recordsPerShard.length; i++) {
      List<String> data = new ArrayList<>();
      for (int r = 0; r < recordsPerShard[i]; r++) {
        data.add("s" + i + "-r" + r);
      }
      shards.put("shardId-" + i, data);
    }
    streams.put(name, shards);
    return this;
  }

  long getRecordsCalls() {
    return calls.stream().filter(Call.GET_RECORDS::equals).count();
  }

  @Override
  public PutResult putRecords(String stream, List<OutboundRecord> records) {
    calls.add(Call.PUT_RECORDS);
    List<EntryResult> entries = new ArrayList<>();
    List<String> shard = streams.get(stream).values().iterator().next();
    for (OutboundRecord r : records) {
      shard.add(new String(r.data(), StandardCharsets.UTF_8));
      entries.add(EntryResult.stored("shardId-0", Integer.toString(shard.size() - 1)));
    }
    return new PutResult(entries, 200, Optional.empty());
  }

  @Override
  public ShardPage listShards(String stream, Optional<String> nextToken) {
    calls.add(Call.LIST_SHARDS);
    List<String> ids = new ArrayList<>(streams.get(stream).keySet());
    int from = nextToken.map(Integer::parseInt).orElse(0);
    int to = Math.min(ids.size(), from + shardsPerPage);
    List<StreamShard> page = new ArrayList<>();
    BigInteger width = BigInteger.TWO.pow(128).divide(BigInteger.valueOf(ids.size()));
    for (int i = from; i < to; i++) {
      BigInteger start = width.multiply(BigInteger.valueOf(i));
      page.add(new StreamShard(ids.get(i), start, start.add(width).subtract(BigInteger.ONE), true));
    }
    return new ShardPage(
        page,
        to < ids.size() ? Optional.of(Integer.toString(to)) : Optional.empty(),
        200,
        Optional.empty());
  }

  @Override
  public StreamPage listStreams(Optional<String> after) {
    calls.add(Call.LIST_STREAMS);
    List<String> names =
        new ArrayList<>(
            after.isEmpty()
                ? streams.keySet()
                : ((TreeMap<String, ?>) streams).tailMap(after.get(), false).keySet());
    List<String> page = names.subList(0, Math.min(streamsPerPage, names.size()));
    return new StreamPage(page, names.size() > page.size(), 200, Optional.empty());
  }

  @Override
  public StreamSummary describeStream(String stream) {
    calls.add(Call.DESCRIBE_STREAM_SUMMARY);
    return new StreamSummary(
        "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream,
        "ACTIVE",
        streams.get(stream).size(),
        Optional.empty(),
        200,
        Optional.empty());
  }

  @Override
  public Answered createStream(String stream, int shards) {
    calls.add(Call.CREATE_STREAM);
    stream(stream, new int[shards]);
    return new Answered(200, Optional.empty());
  }

  @Override
  public ShardIterator oldestIterator(String stream, String shardId) {
    calls.add(Call.GET_SHARD_ITERATOR);
    return new ShardIterator(stream + "/" + shardId + "/0", 200, Optional.empty());
  }

  /** Answers up to {@code limit} records; the shard's tip is reached once none is left. */
  @Override
  public RecordsPage getRecords(String iterator, int limit) {
    calls.add(Call.GET_RECORDS);
    recordLimits.add(limit);
    String[] parts = iterator.split("/");
    List<String> shard = streams.get(parts[0]).get(parts[1]);
    int from = Integer.parseInt(parts[2]);
    int to = Math.min(shard.size(), from + limit);
    List<StoredRecord> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(
          new StoredRecord(
              Integer.toString(i), "key-" + i, shard.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    return new RecordsPage(
        records,
        Optional.of(parts[0] + "/" + parts[1] + "/" + to),
        Optional.of(to < shard.size() ? 1000L : 0L),
        200,
        Optional.empty());
  }

  @Override
  public void close() {}
}
