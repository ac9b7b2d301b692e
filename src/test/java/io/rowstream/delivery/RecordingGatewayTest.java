package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.RowstreamException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RecordingGatewayTest {
  private static final List<OutboundRecord> TWO_RECORDS =
      List.of(record("abc", "k1"), record("de", "key2"));

  /** A hand-written gateway: answers with {@code answer}, or throws what {@code failure} gives. */
  private static final class Scripted implements Destination {
    Supplier<PutResult> answer =
        () ->
            new PutResult(
                List.of(
                    EntryResult.stored("shardId-0", "1"),
                    EntryResult.failed("InternalFailure", "try again")),
                200,
                Optional.of("req-1"));
    Supplier<ShardPage> page =
        () -> new ShardPage(List.of(), Optional.of("next"), 200, Optional.of("req-list"));
    boolean closed;

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      return answer.get();
    }

    @Override
    public ShardPage listShards(String stream, Optional<String> nextToken) {
      return page.get();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class Calls implements CallLog {
    final List<ApiCall> all = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(ApiCall call) {
      all.add(call);
    }
  }

  @Test
  void anAnsweredPutRecordsIsRecordedWithItsAttemptKeysBytesAndEntries() {
    Scripted kinesis = new Scripted();
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    PutResult result =
        gateway.putRecords("s", TWO_RECORDS, new CallContext(3, List.of("row-1", "row-2")));

    ApiCall call = calls.all.get(0);
    assertThat(calls.all).hasSize(1);
    assertThat(call.operation()).isEqualTo("PutRecords");
    assertThat(call.attempt()).isEqualTo(3);
    assertThat(call.records()).isEqualTo(2);
    assertThat(call.bytes()).as("data plus partition keys").isEqualTo(3 + 2 + 2 + 4);
    assertThat(call.keys()).containsExactly("row-1", "row-2");
    assertThat(call.httpStatus()).isEqualTo(200);
    assertThat(call.requestId()).contains("req-1");
    assertThat(call.entries()).isEqualTo(result.entries());
    assertThat(call.error()).isEmpty();
    assertThat(call.duration().isNegative()).isFalse();
  }

  @Test
  void withEventsTheCallRecordKeepsEachRecordSentWithItsEvent() {
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(new Scripted(), calls);

    gateway.putRecords(
        "s",
        TWO_RECORDS,
        new CallContext(1, List.of("row-1", "row-2"), List.of("added", "removed")));
    gateway.putRecords("s", TWO_RECORDS, new CallContext(1, List.of("row-1", "row-2")));

    assertThat(calls.all.get(0).sent())
        .containsExactly(
            new ApiCall.Sent("added", TWO_RECORDS.get(0)),
            new ApiCall.Sent("removed", TWO_RECORDS.get(1)));
    assertThat(calls.all.get(1).sent()).as("no events: no records kept").isEmpty();
  }

  @Test
  void aPutRecordsThatFailsWholeIsRecordedWithTheStatusAndRequestIdAndThrownAsIs() {
    Scripted kinesis = new Scripted();
    DestinationException throttled =
        new DestinationException(
            RowstreamException.Kind.RETRYABLE,
            "Rate exceeded for stream s",
            null,
            "ProvisionedThroughputExceededException",
            400,
            Optional.of("req-throttled"));
    kinesis.answer =
        () -> {
          throw throttled;
        };
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    assertThatThrownBy(
            () -> gateway.putRecords("s", TWO_RECORDS, new CallContext(1, List.of("a", "b"))))
        .isSameAs(throttled);

    assertThat(calls.all)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.httpStatus()).isEqualTo(400);
              assertThat(c.requestId()).contains("req-throttled");
              assertThat(c.entries()).isEmpty();
              assertThat(c.error()).contains("Rate exceeded for stream s");
              assertThat(c.keys()).containsExactly("a", "b");
            });
  }

  @Test
  void anUnexpectedFailureIsRecordedAndThrownAsAFatalError() {
    Scripted kinesis = new Scripted();
    kinesis.answer =
        () -> {
          throw new IllegalStateException("connection pool shut down");
        };
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    assertThatThrownBy(() -> gateway.putRecords("s", TWO_RECORDS, CallContext.NONE))
        .isInstanceOf(RowstreamException.class)
        .satisfies(
            e ->
                assertThat(((RowstreamException) e).kind())
                    .isEqualTo(RowstreamException.Kind.FATAL))
        .hasMessageContaining("sending failed")
        .hasMessageContaining("connection pool shut down");
    assertThat(calls.all).singleElement().satisfies(c -> assertThat(c.httpStatus()).isZero());
  }

  @Test
  void eachListShardsPageIsRecordedAsACallWithoutRecords() {
    Scripted kinesis = new Scripted();
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    ShardPage page = gateway.listShards("s", Optional.empty());

    assertThat(page.nextToken()).contains("next");
    assertThat(calls.all)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.operation()).isEqualTo("ListShards");
              assertThat(c.attempt()).isEqualTo(1);
              assertThat(c.records()).isZero();
              assertThat(c.keys()).isEmpty();
              assertThat(c.requestId()).contains("req-list");
            });
  }

  @Test
  void afterRecordingStopsCallsStillGoThroughButAreNotRecorded() {
    Scripted kinesis = new Scripted();
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);
    gateway.putRecords("s", TWO_RECORDS, CallContext.NONE);

    gateway.stopRecording();
    PutResult late = gateway.putRecords("s", TWO_RECORDS, CallContext.NONE);
    gateway.listShards("s", Optional.empty());

    assertThat(late.entries()).hasSize(2);
    assertThat(calls.all).hasSize(1);
  }

  @Test
  void closingTheGatewayClosesTheDestinationUnderneath() {
    Scripted kinesis = new Scripted();
    new RecordingGateway(kinesis, new Calls()).close();
    assertThat(kinesis.closed).isTrue();
  }

  private static OutboundRecord record(String data, String partitionKey) {
    return new OutboundRecord(
        data.getBytes(StandardCharsets.UTF_8), partitionKey, Optional.empty());
  }

  @Test
  void theCallsAroundASyncAreRecordedByOperationLikeItsPutRecords() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 100).stream("s", 3);
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    new StreamAdmin(gateway).createStream("t", 1);
    new StreamAdmin(gateway).streams();
    new StreamAdmin(gateway).read("s", 2, landed -> {});

    assertThat(calls.all)
        .extracting(ApiCall::operation)
        .containsExactly(
            "CreateStream",
            "DescribeStreamSummary",
            "ListStreams",
            "ListShards",
            "GetShardIterator",
            "GetRecords");
    assertThat(calls.all)
        .allSatisfy(
            call -> {
              assertThat(call.httpStatus()).isEqualTo(200);
              assertThat(call.records()).isZero();
              assertThat(call.error()).isEmpty();
            });
  }

  @Test
  void aFailedCallOtherThanPutRecordsIsRecordedWithItsError() {
    Scripted kinesis = new Scripted();
    kinesis.page =
        () -> {
          throw new DestinationException(
              RowstreamException.Kind.FATAL,
              "access denied",
              null,
              "AccessDeniedException",
              400,
              Optional.of("req-denied"));
        };
    Calls calls = new Calls();
    RecordingGateway gateway = new RecordingGateway(kinesis, calls);

    assertThatThrownBy(() -> ShardListing.all(gateway, "s")).hasMessage("access denied");

    assertThat(calls.all).hasSize(1);
    assertThat(calls.all.get(0).operation()).isEqualTo("ListShards");
    assertThat(calls.all.get(0).requestId()).contains("req-denied");
    assertThat(calls.all.get(0).error()).contains("access denied");
  }
}
