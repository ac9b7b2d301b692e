package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAdminTest {
  @Test
  void readingWithALimitAsksForNoMoreRecordsThanWantedAndStopsOnceItHasThem() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 100).stream("s", 50, 50);
    List<StreamAdmin.Landed> landed = new ArrayList<>();

    int read = new StreamAdmin(kinesis).read("s", 10, landed::add);

    assertThat(read).isEqualTo(10);
    assertThat(landed)
        .extracting(StreamAdmin.Landed::data)
        .containsExactly(
            "s0-r0", "s0-r1", "s0-r2", "s0-r3", "s0-r4", "s0-r5", "s0-r6", "s0-r7", "s0-r8",
            "s0-r9");
    assertThat(kinesis.recordLimits).as("one GetRecords call, for 10 records").containsExactly(10);
    assertThat(kinesis.calls)
        .as("the second shard is never opened")
        .containsExactly(Call.LIST_SHARDS, Call.GET_SHARD_ITERATOR, Call.GET_RECORDS);
  }

  @Test
  void aLimitThatSpansShardsAsksTheNextShardOnlyForWhatIsStillWanted() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 100).stream("s", 5, 50, 50);
    List<StreamAdmin.Landed> landed = new ArrayList<>();

    int read = new StreamAdmin(kinesis).read("s", 12, landed::add);

    assertThat(read).isEqualTo(12);
    assertThat(landed)
        .extracting(StreamAdmin.Landed::shardId)
        .containsOnly("shardId-0", "shardId-1");
    assertThat(landed.get(5).data()).isEqualTo("s1-r0");
    assertThat(kinesis.recordLimits)
        .as("12 from the first shard, which has 5; its tip; then the 7 still wanted")
        .containsExactly(12, 7, 7);
  }

  @Test
  void withoutEnoughRecordsEveryShardIsReadToItsTip() {
    InMemoryKinesis kinesis = new InMemoryKinesis(1, 100).stream("s", 3, 0, 4);
    List<StreamAdmin.Landed> landed = new ArrayList<>();

    int read = new StreamAdmin(kinesis).read("s", 1000, landed::add);

    assertThat(read).isEqualTo(7);
    assertThat(landed)
        .extracting(StreamAdmin.Landed::data)
        .containsExactly("s0-r0", "s0-r1", "s0-r2", "s2-r0", "s2-r1", "s2-r2", "s2-r3");
    assertThat(kinesis.calls.stream().filter(Call.LIST_SHARDS::equals))
        .as("one shard per page: three pages")
        .hasSize(3);
  }

  @Test
  void streamsFollowsTheListStreamsPages() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 2);
    for (String name : List.of("a", "b", "c", "d", "e")) {
      kinesis.stream(name, 0);
    }

    assertThat(new StreamAdmin(kinesis).streams()).containsExactly("a", "b", "c", "d", "e");
    assertThat(kinesis.calls)
        .containsExactly(Call.LIST_STREAMS, Call.LIST_STREAMS, Call.LIST_STREAMS);
  }

  @Test
  void creatingAStreamWaitsUntilItIsActive() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 100);

    new StreamAdmin(kinesis).createStream("fresh", 3);

    assertThat(kinesis.calls).containsExactly(Call.CREATE_STREAM, Call.DESCRIBE_STREAM_SUMMARY);
    assertThat(ShardListing.all(kinesis, "fresh")).hasSize(3);
  }
}
