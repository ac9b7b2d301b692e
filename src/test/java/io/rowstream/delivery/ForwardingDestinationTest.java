package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ForwardingDestinationTest {
  /** A decorator that notes each call it sees, and the answer's type. */
  private static final class Noting extends ForwardingDestination {
    final List<String> seen = new ArrayList<>();

    Noting(Destination inner) {
      super(inner);
    }

    @Override
    protected <A extends Answer> A call(Call call, Supplier<A> next) {
      A answer = next.get();
      seen.add(call.operation() + " " + call.stream().orElse("-") + " " + call.records().size());
      return answer;
    }
  }

  @Test
  void everyOperationOfTheGatewayIsForwardedSoNoDecoratorCanDropOne() {
    List<String> notForwarded =
        Arrays.stream(Destination.class.getDeclaredMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic())
            .filter(m -> !overrides(ForwardingDestination.class, m))
            .map(Method::getName)
            .toList();

    assertThat(notForwarded).isEmpty();
  }

  private static boolean overrides(Class<?> type, Method m) {
    try {
      return type.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Test
  void everyCallPassesTheOneHookOnceAndReachesTheDestinationUnderneath() {
    InMemoryKinesis kinesis = new InMemoryKinesis(100, 100).stream("s", 2);
    Noting gateway = new Noting(kinesis);
    OutboundRecord record =
        new OutboundRecord("x".getBytes(StandardCharsets.UTF_8), "k", Optional.empty());

    gateway.putRecords("s", List.of(record));
    gateway.listShards("s", Optional.empty());
    gateway.listStreams(Optional.empty());
    gateway.describeStream("s");
    gateway.createStream("t", 1);
    String iterator = gateway.oldestIterator("s", "shardId-0").iterator();
    gateway.getRecords(iterator, 10);

    assertThat(gateway.seen)
        .containsExactly(
            "PutRecords s 1",
            "ListShards s 0",
            "ListStreams - 0",
            "DescribeStreamSummary s 0",
            "CreateStream t 0",
            "GetShardIterator s 0",
            "GetRecords - 0");
    assertThat(kinesis.calls)
        .containsExactly(
            Call.PUT_RECORDS,
            Call.LIST_SHARDS,
            Call.LIST_STREAMS,
            Call.DESCRIBE_STREAM_SUMMARY,
            Call.CREATE_STREAM,
            Call.GET_SHARD_ITERATOR,
            Call.GET_RECORDS);
  }

  @Test
  void thePutRecordsContextReachesTheDestinationUnderneath() {
    List<CallContext> received = new ArrayList<>();
    Destination inner =
        new Destination() {
          @Override
          public PutResult putRecords(String stream, List<OutboundRecord> records) {
            throw new AssertionError("the context was dropped on the way");
          }

          @Override
          public PutResult putRecords(
              String stream, List<OutboundRecord> records, CallContext context) {
            received.add(context);
            return new PutResult(List.of(), 200, Optional.empty());
          }

          @Override
          public void close() {}
        };
    CallContext context = new CallContext(2, List.of("row-1"));

    new Noting(new Noting(inner)).putRecords("s", List.of(), context);

    assertThat(received).containsExactly(context);
  }
}
