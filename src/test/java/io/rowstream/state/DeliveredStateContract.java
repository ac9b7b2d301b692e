package io.rowstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit contract of every {@link DeliveredState}: an implementation's test extends this class
 * and says how to open its state.
 */
public abstract class DeliveredStateContract {
  @TempDir protected Path dir;

  /** Opens (creating if needed) the delivered state of {@code sync} under {@code dir}. */
  protected abstract DeliveredState open(Path dir, String sync);

  /**
   * Opens the delivered state of {@code sync} as a second holder would, while this test may hold it
   * open: for a state whose lease is held per connection, {@link #open} again; for one whose lease
   * is held per process, the same from another process.
   */
  protected abstract DeliveredState openAsAnotherHolder(Path dir, String sync);

  static Ack added(String key, String row, long fingerprint) {
    return new Ack(EventType.ADDED, key, row, fingerprint);
  }

  @Test
  void acknowledgedRowsCountAsDeliveredOnceMerged() {
    try (DeliveredState state = open(dir, "s")) {
      state.ack(List.of(added("1", "{\"id\":1}", 11), added("2", "{\"id\":2}", 22)));
      assertThat(state.delivered("1")).as("not before the merge").isEmpty();

      state.mergeAcks();

      assertThat(state.delivered("1"))
          .contains(new DeliveredState.DeliveredRow("1", "{\"id\":1}", 11));
      assertThat(state.deliveredCount()).isEqualTo(2);
    }
  }

  @Test
  void acknowledgementsLeftByAKilledRunAreMergedWhenTheStateIsOpenedAgain() {
    try (DeliveredState state = open(dir, "s")) {
      state.ack(List.of(added("1", "{\"id\":1}", 11)));
      // closed without merging, as a run killed after the acknowledgement was committed
    }
    try (DeliveredState state = open(dir, "s")) {
      assertThat(state.delivered("1")).map(DeliveredState.DeliveredRow::fingerprint).contains(11L);
    }
  }

  @Test
  void theLastAcknowledgementOfAKeyWinsAndARemovalRemovesIt() {
    try (DeliveredState state = open(dir, "s")) {
      state.ack(List.of(added("1", "{\"v\":1}", 1), added("2", "{\"v\":1}", 1)));
      state.mergeAcks();
      state.ack(List.of(new Ack(EventType.CHANGED, "1", "{\"v\":2}", 2)));
      state.ack(
          List.of(
              new Ack(EventType.CHANGED, "1", "{\"v\":3}", 3),
              new Ack(EventType.REMOVED, "2", null, 0)));
      state.mergeAcks();

      assertThat(state.delivered("1")).map(DeliveredState.DeliveredRow::row).contains("{\"v\":3}");
      assertThat(state.delivered("2")).isEmpty();
      assertThat(state.deliveredCount()).isEqualTo(1);
    }
  }

  @Test
  void acknowledgementsFromManySenderThreadsAreAllKept() throws InterruptedException {
    try (DeliveredState state = open(dir, "s")) {
      ExecutorService senders = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 40; t++) {
        int batch = t;
        senders.execute(
            () -> {
              List<Ack> acks = new ArrayList<>();
              for (int i = 0; i < 500; i++) {
                String key = Integer.toString(batch * 500 + i);
                acks.add(added(key, "{\"id\":" + key + "}", i));
              }
              state.ack(acks);
            });
      }
      senders.shutdown();
      assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      state.mergeAcks();
      assertThat(state.deliveredCount()).isEqualTo(20_000);
    }
  }

  @Test
  void aSyncIsInitializedOnlyOnceMarkedAndStaysSo() {
    try (DeliveredState state = open(dir, "s")) {
      assertThat(state.initialized()).isFalse();
      state.markInitialized();
    }
    try (DeliveredState state = open(dir, "s")) {
      assertThat(state.initialized()).isTrue();
    }
    try (DeliveredState other = open(dir, "other")) {
      assertThat(other.initialized()).as("each sync has its own state").isFalse();
    }
  }

  @Test
  void aSecondHolderIsRefusedWhileTheSyncIsOpenNamingTheSyncAndMayOpenItAfterClose() {
    try (DeliveredState first = open(dir, "customers")) {
      first.ack(List.of(added("1", "{}", 1)));
      assertThatThrownBy(() -> openAsAnotherHolder(dir, "customers").close())
          .isInstanceOf(RowstreamException.class)
          .hasMessageContaining("customers")
          .hasMessageContaining("in use")
          .satisfies(
              e -> assertThat(((RowstreamException) e).code()).isEqualTo(ErrorCode.STATE_LOCKED));
      try (DeliveredState other = open(dir, "orders")) {
        assertThat(other.deliveredCount()).as("the lease is per sync").isZero();
      }
    }
    try (DeliveredState second = openAsAnotherHolder(dir, "customers")) {
      assertThat(second.delivered("1")).as("opened after the first closed").isPresent();
    }
  }

  @Test
  void forgettingSomeKeysOrAllLeavesTheOthersDelivered() {
    try (DeliveredState state = open(dir, "s")) {
      state.ack(List.of(added("1", "{}", 1), added("2", "{}", 2), added("3", "{}", 3)));
      state.mergeAcks();

      assertThat(state.forget(Optional.of(List.of("2", "no such key")))).isEqualTo(1);
      assertThat(state.delivered("2")).isEmpty();
      assertThat(state.deliveredCount()).isEqualTo(2);

      assertThat(state.forget(Optional.empty())).isEqualTo(2);
      assertThat(state.deliveredCount()).isZero();
    }
  }
}
